import Glibc
import SluiceCore

/// Runs blocking work (SQLite, file reads) on one dedicated thread, in order, and hands
/// the result back to async code, which runs on `SingleThreadExecutor`'s loop and must
/// never block. The thread sleeps on a condition variable when there is nothing to do.
public final class BlockingQueue: @unchecked Sendable {
    // @unchecked: `pending` is only touched with `lock` held; `wakeup` pairs with it.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeup = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [@Sendable () -> Void] = []

    /// Starts the thread, named `label` in thread listings.
    public init(label: String) {
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
        wakeup.initialize(to: pthread_cond_t())
        pthread_cond_init(wakeup, nil)
        DetachedThread.start(name: label) { [self] in
            while true { takeNext()() }
        }
    }

    /// Runs `body` on the thread and waits for it without blocking the caller's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            pthread_mutex_lock(lock)
            pending.append { continuation.resume(returning: body()) }
            pthread_cond_signal(wakeup)
            pthread_mutex_unlock(lock)
        }
    }

    private func takeNext() -> @Sendable () -> Void {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while pending.isEmpty { pthread_cond_wait(wakeup, lock) }
        return pending.removeFirst()
    }
}
