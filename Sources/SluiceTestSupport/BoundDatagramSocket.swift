import Glibc

/// An `AF_UNIX` datagram socket bound to an address, what every stand-in for a systemd
/// socket (`NOTIFY_SOCKET`, journald's native socket) starts from.
public enum BoundDatagramSocket {
    /// A close-on-exec datagram socket bound to `addressBytes`, the `sun_path` bytes: a
    /// path with its terminating NUL, or a NUL and an abstract name.
    /// - Throws: `NotifySocketListener.ListenerError` naming the call that failed.
    public static func make(addressBytes: [UInt8]) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NotifySocketListener.ListenerError.failed("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: addressBytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + addressBytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw NotifySocketListener.ListenerError.failed("bind", code)
        }
        return fd
    }
}
