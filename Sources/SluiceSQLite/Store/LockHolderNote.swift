import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS

/// What a sluice lock file says about its holder (`host=h pid=123`, and while a revision
/// runs ` applying=<rev> since=<UTC time>`), so that whoever finds the lock held, or the
/// database busy, can name who holds it and what it is doing. Shared by the per-write
/// `DatabaseLock` and the daemon's serve lock.
public enum LockHolderNote {
    /// Replaces the file's content with this process's host and pid, and what it is
    /// applying when it says so.
    public static func write(to descriptor: Int32, applying revision: String? = nil, since: Date? = nil) {
        var note = "host=\(HistoryTable.hostName) pid=\(getpid())"
        if let revision { note += " applying=\(revision) since=\(Timestamp.iso8601(since ?? Date()))" }
        note += "\n"
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

    /// What the live holder of `database`'s sluice lock says it is doing (`host=h
    /// pid=123 applying=r2 since=…`), or `nil` when nobody holds it. Opens the sidecar
    /// read-only and never creates it; a note left by a holder that died is not
    /// reported (its lock is gone with it).
    public static func liveHolder(ofDatabase database: String) -> String? {
        liveHolder(ofLockFile: DatabaseLock.path(forDatabase: database))
    }

    /// What the live holder of the lock file at `path` wrote, or `nil` when nobody holds
    /// it (the file is opened read-only and never created).
    public static func liveHolder(ofLockFile path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if case .success = Syscalls.fileLock(fd, .sharedNow) {
            Syscalls.fileLock(fd, .unlock)
            return nil
        }
        let note = read(from: fd)
        return note.isEmpty ? "another sluice process" : note
    }
}
