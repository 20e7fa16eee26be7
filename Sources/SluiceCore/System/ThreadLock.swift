import Glibc

/// A plain mutual-exclusion lock for state shared between the daemon's threads (the
/// inotify and serve-lock threads, the apply thread, the watchdog) where a critical
/// section spans more than one value or calls that `Mutex.withLock` would not let
/// escape. A `pthread_mutex_t` on the heap, so it never moves.
public final class ThreadLock: @unchecked Sendable {
    // @unchecked: the mutex itself is the synchronisation; it is only touched through
    // pthread calls.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// A new, unlocked lock.
    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Blocks until the lock is held by the calling thread.
    public func lock() { pthread_mutex_lock(mutex) }

    /// Releases the lock; only the thread that holds it may call this.
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the lock held.
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
