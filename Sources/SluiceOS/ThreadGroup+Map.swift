import Glibc
import Synchronization

extension ThreadGroup {
    /// The processors online now: how many threads CPU-bound work can keep busy.
    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `transform` applied to every item, on up to `threads` threads, in the items'
    /// order: for blocking, independent work on many items (reading and parsing
    /// thousands of revision files, reading thousands of databases), where the items
    /// are cheap to hand out and expensive to do.
    ///
    /// Threads claim `chunk` items at a time, so one slow item does not hold the others
    /// back and the lock is taken once per chunk, not once per item. Few items, or one
    /// thread, run on the calling thread.
    public static func map<Item: Sendable, Value: Sendable>(
        _ items: [Item], threads: Int, name: String, chunk: Int = 16,
        _ transform: @escaping @Sendable (Item) -> Value
    ) -> [Value] {
        let chunk = max(1, chunk)
        let count = min(max(1, threads), (items.count + chunk - 1) / chunk)
        guard count > 1 else { return items.map(transform) }
        let shared = MapState<Value>()
        run(count: count, name: name) { _ in
            while let start = shared.claim(chunk, below: items.count) {
                let end = min(start + chunk, items.count)
                shared.store(items[start..<end].map(transform), at: start)
            }
        }
        return shared.inOrder()
    }
}

/// What the threads of one `map` share: where the next chunk starts, and the chunks done.
private final class MapState<Value: Sendable>: Sendable {
    private let state = Mutex((next: 0, done: [Int: [Value]]()))

    func claim(_ chunk: Int, below count: Int) -> Int? {
        state.withLock { state in
            guard state.next < count else { return nil }
            defer { state.next += chunk }
            return state.next
        }
    }

    func store(_ values: [Value], at start: Int) { state.withLock { $0.done[start] = values } }

    func inOrder() -> [Value] {
        state.withLock { state in state.done.sorted { $0.key < $1.key }.flatMap(\.value) }
    }
}
