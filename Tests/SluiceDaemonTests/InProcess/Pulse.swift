import Synchronization

/// Something happened (a notification, a log record, a timer armed): tests await a
/// condition by re-checking it on every pulse instead of sleeping.
final class Pulse: Sendable {
    private let watchers = Mutex<[AsyncStream<Void>.Continuation]>([])

    /// Wakes every waiter.
    func fire() {
        for watcher in watchers.withLock({ $0 }) { watcher.yield() }
    }

    /// Returns once `condition` holds, re-checked at once and on every pulse; `false` if
    /// `limit` passes first. The limit only keeps a broken daemon from hanging the run:
    /// it is no measure of speed, and it is long because the full suite on two cores
    /// runs hundreds of tests and their subprocesses at once, and a daemon's fsyncs can
    /// queue behind theirs for a minute.
    func wait(limit: Duration = .seconds(300), until condition: @escaping @Sendable () -> Bool) async -> Bool {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield()
        watchers.withLock { $0.append(continuation) }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in stream where condition() { return true }
                return false
            }
            group.addTask {
                // Late on a loaded machine, the answer is still the condition's.
                do { try await Task.sleep(for: limit) } catch { return false }
                return condition()
            }
            let first = await group.next() ?? false
            group.cancelAll()
            continuation.finish()
            return first
        }
    }
}
