import Glibc

/// `flock(2)`, the whole-file locks sluice's lock files use (the database lock, the serve
/// lock, the at-head cache): the kernel drops them when their holder dies, so none is
/// ever left stale.
extension Syscalls {
    /// What to do with the lock.
    public enum FileLock: Sendable {
        /// Take it exclusively, waiting for it.
        case exclusive
        /// Take it exclusively, or fail with `EWOULDBLOCK` at once.
        case exclusiveNow
        /// Take it shared, or fail with `EWOULDBLOCK` at once.
        case sharedNow
        /// Let go of it.
        case unlock

        var operation: Int32 {
            switch self {
            case .exclusive: LOCK_EX
            case .exclusiveNow: LOCK_EX | LOCK_NB
            case .sharedNow: LOCK_SH | LOCK_NB
            case .unlock: LOCK_UN
            }
        }
    }

    /// `flock(2)` on `fd`; `EINTR` (a signal while blocked) is retried.
    @discardableResult
    public static func fileLock(_ fd: Int32, _ lock: FileLock) -> Result<Void, Errno> {
        retrying { flock(fd, lock.operation) }.map { _ in () }
    }
}
