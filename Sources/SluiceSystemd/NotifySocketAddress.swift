import Glibc
import SluiceCore
import SluiceOS

/// Where `NOTIFY_SOCKET` points, parsed once: a file-system socket (`/run/…`) or a
/// Linux abstract-namespace name (`@name`), as sd_notify(3) accepts them.
enum NotifySocketAddress: Sendable, Equatable {
    /// An absolute path to a socket file.
    case path(String)
    /// An abstract name, without the leading `@` (sent with a leading NUL byte).
    case abstract(String)
    /// Anything else (a relative path, `vsock:` from newer systemd): not usable here.
    case unsupported(String)

    /// Parses the variable's value; `nil` for an unset or empty one.
    init?(environmentValue value: String?) {
        guard let value, !value.isEmpty else { return nil }
        if value.hasPrefix("/") {
            self = .path(value)
        } else if value.hasPrefix("@"), value.utf8.count > 1 {
            self = .abstract(String(value.dropFirst()))
        } else {
            self = .unsupported(value)
        }
    }

    /// The kernel form of the address and its exact length, or the errno that tells
    /// why there is none (`EAFNOSUPPORT`, `ENAMETOOLONG`, `EINVAL` for a NUL inside).
    func socketAddress() -> Result<(address: sockaddr_un, length: socklen_t), Errno> {
        switch self {
        case .path(let path): UnixSocketAddress.make(path)
        case .abstract(let name): UnixSocketAddress.make(name, abstract: true)
        case .unsupported: .failure(Errno(rawValue: EAFNOSUPPORT))
        }
    }
}
