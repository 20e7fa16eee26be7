import Glibc
import SluiceCore

/// Each system call the watcher needs, wrapped once: `EINTR` is retried and failures
/// come back as `Errno` values (STYLE habit 4).
enum Syscalls {
    /// `Errno.retrying`, under the name every wrapper of this module calls.
    private static func retrying<T: BinaryInteger>(_ body: () -> T) -> Result<T, Errno> { Errno.retrying(body) }

    /// `inotify_init1(2)` with `IN_NONBLOCK | IN_CLOEXEC`.
    static func inotifyInit() -> Result<Int32, Errno> {
        retrying { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// `inotify_add_watch(2)`.
    static func addWatch(_ fd: Int32, path: String, mask: UInt32) -> Result<Int32, Errno> {
        retrying { inotify_add_watch(fd, path, mask) }
    }

    /// `inotify_rm_watch(2)`.
    static func removeWatch(_ fd: Int32, _ watch: Int32) {
        _ = inotify_rm_watch(fd, watch)
    }

    /// `read(2)` into a buffer; `EAGAIN` comes back as `.failure(EAGAIN)`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// `poll(2)` on the given descriptors for reading; `timeout` in milliseconds, -1 to
    /// wait for ever. Returns which descriptors are readable.
    static func poll(_ fds: [Int32], timeout: Int32) -> Result<[Bool], Errno> {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let count = entries.count
        let result = retrying { entries.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t(count), timeout) } }
        return result.map { _ in entries.map { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 } }
    }

    /// `pipe(2)`, then non-blocking and close-on-exec with `fcntl(2)`: the watcher's
    /// wake-up for stop.
    static func pipe() -> Result<(read: Int32, write: Int32), Errno> {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { return .failure(.current) }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return .success((fds[0], fds[1]))
    }

    /// Writes one byte to a pipe, waking whoever polls its other end.
    static func signal(pipe fd: Int32) {
        var one: UInt8 = 1
        _ = Glibc.write(fd, &one, 1)
    }

    /// `close(2)`.
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
