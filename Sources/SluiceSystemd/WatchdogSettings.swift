import FoundationEssentials
import SluiceOS

/// The service watchdog that systemd armed for this process (`WatchdogSec=`), read
/// from `WATCHDOG_USEC` and `WATCHDOG_PID` as sd_watchdog_enabled(3) does, so the
/// daemon knows whether to ping and how often.
public struct WatchdogSettings: Sendable, Equatable {
    /// How long systemd waits for a `WATCHDOG=1` before it aborts the service.
    public let timeout: Duration

    /// How often to send `WATCHDOG=1`: half the timeout, as systemd recommends, so one
    /// late ping does not kill the service.
    public var pingInterval: Duration { timeout / 2 }

    /// Wraps a known timeout, e.g. in tests.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// The watchdog armed for process `processID` (this process when `nil`), or `nil`
    /// when there is none:
    /// `WATCHDOG_USEC` unset, not a positive integer, or `WATCHDOG_PID` set to
    /// another (or an unreadable) process id, which means the variables were meant for
    /// a different process.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32? = nil) {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
              microseconds <= UInt64(Int64.max) else { return nil }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = Int32(pidText), pid == processID ?? Syscalls.processID() else { return nil }
        }
        timeout = .microseconds(Int64(microseconds))
    }

    /// The watchdog *timeout* (`WATCHDOG_USEC`) for this process, or `nil` when no
    /// watchdog applies.
    ///
    /// - Important: This is the limit, not the ping interval: ping at
    ///   `pingInterval(environment:)`, half of it.
    public static func from(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        WatchdogSettings(environment: environment)?.timeout
    }

    /// How often to send `WATCHDOG=1` (half of `WATCHDOG_USEC`), or `nil` when no
    /// watchdog applies.
    public static func pingInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        WatchdogSettings(environment: environment)?.pingInterval
    }
}
