import Glibc

/// The calls of sluice's control socket: an `AF_UNIX` stream socket that the daemon
/// listens on and the CLI connects to, with the kernel's word on who connected.
extension Syscalls {
    /// Who is at the other end of a connected `AF_UNIX` socket, as the kernel recorded it
    /// when the connection was made (`SO_PEERCRED`): it cannot be forged by the peer.
    public struct PeerCredentials: Sendable, Equatable {
        /// The peer's process id.
        public let pid: Int32
        /// Its effective user id.
        public let uid: UInt32
        /// Its effective group id.
        public let gid: UInt32

        /// Credentials as the kernel reports them.
        public init(pid: Int32, uid: UInt32, gid: UInt32) {
            self.pid = pid
            self.uid = uid
            self.gid = gid
        }
    }

    /// A listening `AF_UNIX` stream socket at `path` (a stale socket file there is
    /// replaced), close-on-exec, with the file's mode and group set before anyone can
    /// connect: it is created with umask 0177, then opened up to `mode`.
    public static func listenUnixStream(at path: String, mode: mode_t, group: gid_t?) -> Result<Int32, Errno> {
        let fd: Int32
        switch retrying({ socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) {
        case .success(let created): fd = created
        case .failure(let error): return .failure(error)
        }
        func fail(_ error: Errno) -> Result<Int32, Errno> {
            close(fd)
            return .failure(error)
        }
        let address: (address: sockaddr_un, length: socklen_t)
        switch UnixSocketAddress.make(path) {
        case .success(let made): address = made
        case .failure(let error): return fail(error)
        }
        unlink(path)
        var bound = address.address
        let previous = umask(0o177)
        let result = withUnsafePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
        }
        umask(previous)
        guard result == 0 else { return fail(.last) }
        // A new file already has the process's group; `chown` only for another one (the
        // shipped unit's system-call filter forbids `chown` altogether).
        if let group, group != getegid(), chown(path, uid_t.max, group) != 0 { return fail(.last) }
        guard chmod(path, mode) == 0 else { return fail(.last) }
        guard listen(fd, 16) == 0 else { return fail(.last) }
        return .success(fd)
    }

    /// `accept(2)`: the next connection, waiting for it; made close-on-exec at once (the
    /// daemon starts no child process that could inherit it in between).
    public static func acceptConnection(_ fd: Int32) -> Result<Int32, Errno> {
        retrying { accept(fd, nil, nil) }.map { connection in
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            return connection
        }
    }

    /// `connect(2)` of a new close-on-exec `AF_UNIX` stream socket to `path`.
    public static func connectUnixStream(to path: String) -> Result<Int32, Errno> {
        let fd: Int32
        switch retrying({ socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }) {
        case .success(let created): fd = created
        case .failure(let error): return .failure(error)
        }
        guard case .success(let address) = UnixSocketAddress.make(path) else {
            close(fd)
            return .failure(Errno(rawValue: ENAMETOOLONG))
        }
        var target = address.address
        let result = retrying {
            withUnsafePointer(to: &target) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, address.length) }
            }
        }
        if case .failure(let error) = result {
            close(fd)
            return .failure(error)
        }
        return .success(fd)
    }

    /// `getsockopt(2)` `SO_PEERCRED`: who connected.
    public static func peerCredentials(_ fd: Int32) -> Result<PeerCredentials, Errno> {
        // struct ucred: pid_t, uid_t, gid_t (glibc exports it only under _GNU_SOURCE).
        var raw: (Int32, UInt32, UInt32) = (0, 0, 0)
        var size = socklen_t(MemoryLayout.size(ofValue: raw))
        return retrying { getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &raw, &size) }
            .map { _ in PeerCredentials(pid: raw.0, uid: raw.1, gid: raw.2) }
    }

    /// `SO_RCVTIMEO` and `SO_SNDTIMEO`: a peer that stalls cannot hold the reader or
    /// writer longer than `seconds`.
    public static func setTimeouts(_ fd: Int32, seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, size)
    }

    /// Reads one line (at most `limit` bytes, without the newline); `nil` when the peer
    /// closed, stalled past the timeout, or sent more than `limit` without a newline.
    public static func readLine(_ fd: Int32, limit: Int = 64 * 1024) -> [UInt8]? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while line.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(fd, into: $0) }
            guard case .success(let read) = count, read > 0 else { return nil }
            if let newline = chunk[..<read].firstIndex(of: 10) {
                line.append(contentsOf: chunk[..<newline])
                return line
            }
            line.append(contentsOf: chunk[..<read])
        }
        return nil
    }

    /// Sends all of `bytes` on a connected socket, without `SIGPIPE` when the peer is
    /// gone (`MSG_NOSIGNAL`); `false` then, or when it stalls past the timeout.
    @discardableResult
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                retrying { send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL)) }
            }
            guard case .success(let count) = sent, count > 0 else { return false }
            offset += count
        }
        return true
    }
}
