import Glibc

/// The system calls sluice makes that swift-system does not offer (AF_UNIX datagrams,
/// inotify, `poll`, `flock`, `memfd`, sealing), each wrapped once (STYLE habit 4): `EINTR` is
/// retried and a failure comes back as swift-system's `Errno`, never as `-1` and a
/// global. Reads, writes, `close` and pipes go through swift-system's `FileDescriptor`.
public enum Syscalls {
    /// `Errno.retrying`, under the name every wrapper calls.
    static func retrying<T: BinaryInteger>(_ body: () -> T) -> Result<T, Errno> { Errno.retrying(body) }

    /// `socket(2)` for an `AF_UNIX` datagram socket, close-on-exec so a child process
    /// never inherits it.
    public static func unixDatagramSocket() -> Result<Int32, Errno> {
        retrying { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    /// `sendto(2)` with `MSG_NOSIGNAL | MSG_DONTWAIT`: one datagram to an `AF_UNIX`
    /// address of exactly `length` bytes (abstract names are not NUL-terminated, so the
    /// length matters). Never blocks: a receiver whose queue is full (the kernel keeps
    /// only `net.unix.max_dgram_qlen` datagrams) costs a dropped notification, not a
    /// stalled daemon.
    public static func sendDatagram(_ fd: Int32, _ bytes: [UInt8], to address: sockaddr_un, length: socklen_t) -> Result<Int, Errno> {
        var address = address
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    retrying { sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), socketAddress, length) }
                }
            }
        }
    }

    /// `close(2)`. Not retried on `EINTR`: on Linux the descriptor is released anyway
    /// and a retry could close one another thread has just opened.
    public static func close(_ fd: Int32) {
        try? FileDescriptor(rawValue: fd).close()
    }

    /// `write(2)` once; the caller loops over short writes.
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        Errno.catching { try FileDescriptor(rawValue: fd).write(buffer) }
    }

    /// `poll(2)` for `POLLOUT` on one descriptor, `timeout` in milliseconds: waits out
    /// `EAGAIN` on a non-blocking stderr.
    public static func waitWritable(_ fd: Int32, timeout: Int32) -> Result<Bool, Errno> {
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return retrying { Glibc.poll(&entry, 1, timeout) }.map { $0 > 0 }
    }

    /// `fstat(2)`: the device and inode behind a descriptor, compared with
    /// `JOURNAL_STREAM`.
    public static func fileStatus(_ fd: Int32) -> Result<stat, Errno> {
        var status = stat()
        return retrying { fstat(fd, &status) }.map { _ in status }
    }

    /// `isatty(3)`: whether a descriptor is a terminal. Its only failures (`EBADF`,
    /// `ENOTTY`) both mean "not a terminal".
    public static func isTerminal(_ fd: Int32) -> Bool {
        Glibc.isatty(fd) == 1
    }

    /// `clock_gettime(2)` on `CLOCK_MONOTONIC`, in microseconds: the clock systemd
    /// expects in `MONOTONIC_USEC=`. It cannot fail for this clock id.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        _ = clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// `getpid(2)`, compared with `WATCHDOG_PID`. It cannot fail.
    public static func processID() -> Int32 {
        getpid()
    }
}
