import Glibc
import SluiceCore
import SluiceOS
import Synchronization

/// journald's native socket, spoken directly (systemd.io/JOURNAL_NATIVE_PROTOCOL) rather
/// than through libsystemd's `sd_journal_sendv`, so the binary neither links nor loads
/// libsystemd and can be built as a static executable.
///
/// Each entry is one datagram to the socket path (`JournalNativeEntry` bytes). An entry
/// too large for a datagram goes in a sealed memory file (`SealedMemoryFile`) whose
/// descriptor is sent instead, as libsystemd does. Every failure comes back as an
/// `Errno`, also `ENOENT` and `ECONNREFUSED` when no journald listens, which libsystemd
/// would swallow: the caller then writes the record elsewhere, so none is lost.
///
/// One socket, created on the first send, serves every later send from every thread:
/// it is not connected (each datagram names the path), so a journald restart does not
/// break it.
final class JournalSocket: Sendable {

    /// Where journald listens for native entries.
    static let systemPath = "/run/systemd/journal/socket"

    /// The socket every production `JournalLogHandler` shares, so the process holds one
    /// descriptor however many loggers it makes.
    static let system = JournalSocket(path: systemPath)

    /// The send buffer libsystemd asks for (8 MiB; the kernel doubles it): the larger the
    /// buffer, the more entries fit in one datagram and the fewer need a memory file.
    static let sendBufferSize: Int32 = 8 * 1024 * 1024

    /// The socket path entries go to; tests name a socket of their own.
    let path: String

    /// The path as a socket address, or why it cannot be one (`ENAMETOOLONG`, `EINVAL`).
    private let address: Result<(address: sockaddr_un, length: socklen_t), Errno>
    /// The shared socket once it is open. sendmsg(2) on a shared socket is thread-safe;
    /// only opening it is done under the lock.
    private let descriptor = Mutex<Int32?>(nil)

    /// A socket for entries to `path`; nothing is opened until the first send. The
    /// address is built once, the way a `NOTIFY_SOCKET` path is.
    init(path: String) {
        self.path = path
        address = NotifySocketAddress.path(path).socketAddress()
    }

    deinit {
        descriptor.withLock { if let fd = $0 { Syscalls.close(fd) } }
    }

    /// Sends one entry made of `fields`.
    ///
    /// - Returns: `.failure(EINVAL)` for no fields or an invalid name (nothing is sent),
    ///   `ENOENT` or `ECONNREFUSED` when nobody listens at `path`, or whatever else
    ///   `sendmsg(2)`, `memfd_create(2)` or `fcntl(2)` reported.
    /// - Important: Blocks while journald's receive queue is full, as libsystemd does:
    ///   a record waits rather than being dropped.
    func send(_ fields: [JournalField]) -> Result<Void, Errno> {
        JournalNativeEntry.encode(fields).flatMap(send(entry:))
    }

    /// Sends already-encoded entry bytes: as one datagram, or in a sealed memory file
    /// when the datagram is too large (`EMSGSIZE`) or the kernel cannot allocate it
    /// (`ENOBUFS`).
    func send(entry bytes: [UInt8]) -> Result<Void, Errno> {
        address.flatMap { target in
            openSocket().flatMap { fd in
                let sent = bytes.withUnsafeBytes { payload in
                    Syscalls.sendMessage(fd, payload, to: target.address, length: target.length)
                }
                switch sent {
                case .success:
                    return .success(())
                case .failure(let error) where error.rawValue == EMSGSIZE || error.rawValue == ENOBUFS:
                    return SealedMemoryFile.create(holding: bytes).flatMap { file in
                        defer { Syscalls.close(file) }
                        return Syscalls.sendMessage(fd, UnsafeRawBufferPointer(start: nil, count: 0),
                                                    to: target.address, length: target.length, passing: file).map { _ in () }
                    }
                case .failure(let error):
                    return .failure(error)
                }
            }
        }
    }

    /// The shared socket, created (close-on-exec, blocking, send buffer raised) on first
    /// use. A failure is returned and tried again on the next send.
    private func openSocket() -> Result<Int32, Errno> {
        descriptor.withLock { descriptor in
            if let descriptor { return .success(descriptor) }
            return Syscalls.unixDatagramSocket().map { fd in
                Self.raiseSendBuffer(fd)
                descriptor = fd
                return fd
            }
        }
    }

    /// Raises the send buffer to `sendBufferSize`, best effort as in libsystemd: a
    /// buffer already that large is left alone; `SO_SNDBUFFORCE` passes the
    /// `net.core.wmem_max` cap but needs `CAP_NET_ADMIN`; plain `SO_SNDBUF` is capped.
    /// A smaller buffer only means that more entries travel in memory files.
    private static func raiseSendBuffer(_ fd: Int32) {
        if case .success(let current) = Syscalls.socketOption(fd, SO_SNDBUF), current >= sendBufferSize * 2 { return }
        if case .success = Syscalls.setSocketOption(fd, SO_SNDBUFFORCE, sendBufferSize) { return }
        _ = Syscalls.setSocketOption(fd, SO_SNDBUF, sendBufferSize)
    }
}
