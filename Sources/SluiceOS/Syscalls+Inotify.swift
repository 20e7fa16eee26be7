import Glibc

/// The calls the inotify watchers make.
extension Syscalls {

    /// `inotify_init1(2)` with `IN_NONBLOCK | IN_CLOEXEC`.
    public static func inotifyInit() -> Result<Int32, Errno> {
        retrying { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// `inotify_add_watch(2)`.
    public static func addWatch(_ fd: Int32, path: String, mask: UInt32) -> Result<Int32, Errno> {
        retrying { inotify_add_watch(fd, path, mask) }
    }

    /// `inotify_rm_watch(2)`.
    public static func removeWatch(_ fd: Int32, _ watch: Int32) {
        _ = inotify_rm_watch(fd, watch)
    }

    /// `read(2)` into a buffer; `EAGAIN` comes back as `.failure(EAGAIN)`.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        Errno.catching { try FileDescriptor(rawValue: fd).read(into: buffer) }
    }

    /// `poll(2)` on the given descriptors for reading; `timeout` in milliseconds, -1 to
    /// wait for ever. Returns which descriptors are readable.
    public static func poll(_ fds: [Int32], timeout: Int32) -> Result<[Bool], Errno> {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let count = entries.count
        let result = retrying { entries.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t(count), timeout) } }
        return result.map { _ in entries.map { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 } }
    }

    /// `pipe(2)`, then non-blocking and close-on-exec with `fcntl(2)`: the watcher's
    /// wake-up for stop.
    public static func pipe() -> Result<(read: Int32, write: Int32), Errno> {
        Errno.catching {
            let ends = try FileDescriptor.pipe()
            for end in [ends.readEnd, ends.writeEnd] {
                _ = fcntl(end.rawValue, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end.rawValue, F_SETFL, fcntl(end.rawValue, F_GETFL) | O_NONBLOCK)
            }
            return (ends.readEnd.rawValue, ends.writeEnd.rawValue)
        }
    }

    /// Writes one byte to a pipe, waking whoever polls its other end.
    public static func signal(pipe fd: Int32) {
        var one: UInt8 = 1
        _ = Glibc.write(fd, &one, 1)
    }

}
