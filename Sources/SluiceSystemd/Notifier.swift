import FoundationEssentials
import Glibc
import SluiceOS

/// Tells systemd about the service's state over the sd_notify protocol (sd_notify(3)):
/// readiness, reloads, shutdown, watchdog pings and the one-line status.
///
/// Implemented over a plain `AF_UNIX` datagram socket rather than libsystemd's
/// `sd_notify`, so the outcome can say *sent*, *not under systemd* or *failed(errno)*
/// and several fields go out in one datagram. Each `send` opens, uses and closes its
/// own socket, which keeps the type a stateless, `Sendable` value.
public struct Notifier: Sendable, NotifySending {
    /// The parsed `NOTIFY_SOCKET`, or `nil` when the variable is unset or empty.
    let address: NotifySocketAddress?

    /// Reads `NOTIFY_SOCKET` from `environment` once. Tests pass a dictionary naming
    /// their own socket instead of changing the process environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = NotifySocketAddress(environmentValue: environment["NOTIFY_SOCKET"])
    }

    /// Whether a service manager asked for notifications, so callers can skip work
    /// (such as building a status line) that only systemd would read.
    public var isUnderSystemd: Bool { address != nil }

    /// Sends `fields` in ONE datagram, newline-separated, as systemd requires for pairs
    /// such as `RELOADING=1` and `MONOTONIC_USEC=…`.
    ///
    /// - Returns: `.notUnderSystemd` without `NOTIFY_SOCKET`; `.failed(errno:)` when the
    ///   address is unusable or the socket cannot be reached (`ENOENT` for a missing
    ///   path, `ECONNREFUSED` when nobody listens, `EINVAL` for no fields).
    /// - Important: The send blocks only if systemd's receive queue is full, as
    ///   `sd_notify` does; it never raises `SIGPIPE`.
    public func send(_ fields: [NotifyField]) -> NotifyResult {
        guard let address else { return .notUnderSystemd }
        guard !fields.isEmpty else { return .failed(errno: EINVAL) }
        let datagram = Array(Self.datagram(fields).utf8)
        let outcome = address.socketAddress().flatMap { target in
            Syscalls.unixDatagramSocket().flatMap { fd in
                defer { Syscalls.close(fd) }
                return Syscalls.sendDatagram(fd, datagram, to: target.address, length: target.length)
            }
        }
        switch outcome {
        case .success: return .sent
        case .failure(let error): return .failed(errno: error.rawValue)
        }
    }

    /// The datagram's text: each field's assignment, joined by newlines, with no
    /// trailing newline.
    public static func datagram(_ fields: [NotifyField]) -> String {
        fields.map(\.assignment).joined(separator: "\n")
    }
}
