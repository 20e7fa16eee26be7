import Dispatch

/// Runs blocking work (SQLite, file reads) on one dedicated serial queue instead of the
/// cooperative pool, and hands the result back to async code.
public final class BlockingQueue: Sendable {
    private let queue: DispatchQueue

    /// Creates a queue with a name that shows in thread listings.
    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and waits for it without blocking the caller's thread.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
