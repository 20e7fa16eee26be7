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
    ///
    /// A path is NUL-terminated; an abstract name is a NUL byte and the name, and its
    /// length excludes any trailing NUL, because every byte up to the length is part
    /// of the name.
    func socketAddress() -> Result<(address: sockaddr_un, length: socklen_t), Errno> {
        let name: [UInt8]
        let isAbstract: Bool
        switch self {
        case .path(let path): (name, isAbstract) = (Array(path.utf8), false)
        case .abstract(let abstractName): (name, isAbstract) = (Array(abstractName.utf8), true)
        case .unsupported: return .failure(Errno(rawValue: EAFNOSUPPORT))
        }
        guard !name.contains(0) else { return .failure(Errno(rawValue: EINVAL)) }
        let bytes = isAbstract ? [0] + name : name
        let terminator = isAbstract ? 0 : 1
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard bytes.count + terminator <= MemoryLayout.size(ofValue: address.sun_path) else {
            return .failure(Errno(rawValue: ENAMETOOLONG))
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        return .success((address, socklen_t(offset + bytes.count + terminator)))
    }
}
