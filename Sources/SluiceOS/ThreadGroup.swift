import SystemPackage

/// A few threads doing blocking work side by side (migrating the members of a fleet,
/// each in SQLite calls that block), joined before the caller goes on. Each thread
/// reports its end with one byte on a pipe the caller reads, so the wait is a blocking
/// `read`, with no polling and no shared condition variable.
public enum ThreadGroup {
    /// Runs `body(0)` … `body(count - 1)` on `count` new threads named `name-i`, and
    /// returns when every one has returned. With `count` of 1 `body(0)` runs on the
    /// calling thread.
    public static func run(count: Int, name: String, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        guard let (readEnd, writeEnd) = try? FileDescriptor.pipe() else {
            // No descriptors left: the same work, one after the other.
            for index in 0..<count { body(index) }
            return
        }
        for index in 0..<count {
            DetachedThread.start(name: "\(name)-\(index)") {
                body(index)
                _ = try? writeEnd.writeAll([UInt8(1)])
            }
        }
        var finished = 0
        var buffer = [UInt8](repeating: 0, count: 64)
        while finished < count {
            let read = (try? buffer.withUnsafeMutableBytes { try readEnd.read(into: $0, retryOnInterrupt: true) }) ?? 0
            guard read > 0 else { break }
            finished += read
        }
        // Closed only once every thread has written: a thread still running must never
        // write to a descriptor number that was closed and handed out again.
        guard finished >= count else { return }
        try? readEnd.close()
        try? writeEnd.close()
    }
}
