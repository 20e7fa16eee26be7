import Glibc

/// The kernel form of an `AF_UNIX` address: a socket file's path, or a Linux
/// abstract-namespace name. Built once here for every socket sluice uses
/// (`NOTIFY_SOCKET`, journald's, the control socket).
public enum UnixSocketAddress {
    /// The address and its exact length, or the errno that tells why there is none
    /// (`ENAMETOOLONG`, `EINVAL` for a NUL inside).
    ///
    /// A path is NUL-terminated; an abstract name is a NUL byte and the name, and its
    /// length excludes any trailing NUL, because every byte up to the length is part of
    /// the name.
    public static func make(_ name: String, abstract: Bool = false) -> Result<(address: sockaddr_un, length: socklen_t), Errno> {
        let name = Array(name.utf8)
        guard !name.contains(0) else { return .failure(Errno(rawValue: EINVAL)) }
        let bytes = abstract ? [0] + name : name
        let terminator = abstract ? 0 : 1
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
