import Glibc

/// What a sluice lock file says about its holder (`host=h pid=123`), so that whoever
/// finds the lock held can name who holds it. Shared by the per-write `DatabaseLock` and
/// the daemon's serve lock.
public enum LockHolderNote {
    /// Replaces the file's content with this process's host and pid.
    public static func write(to descriptor: Int32) {
        let note = "host=\(HistoryTable.hostName) pid=\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Empties the file, as the holder lets go.
    public static func clear(_ descriptor: Int32) {
        _ = ftruncate(descriptor, 0)
    }

    /// The note as written, without its line end; empty when the holder has not written it.
    public static func read(from descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        var text = buffer[0..<count]
        while let last = text.last, last == 0x0A || last == 0x0D || last == 0x20 { text = text.dropLast() }
        return String(decoding: text, as: UTF8.self)
    }
}
