import CSQLite
import Glibc

/// A consistent copy of the live database that the application, committing all the while,
/// hardly feels: backups before an apply and the rehearsal's copy of the data. The method
/// is chosen per journal mode and file system (`CopyMethod`); what the application may
/// feel is bounded by `CopyLimits`, and a copy that would exceed the bound is not made
/// (`CopyRefusal`) rather than making the application's writes wait or fail.
public enum LiveCopy {
    /// What a copy did: how, how much, and the longest it held the application's writes
    /// back (predicted before it started; `nil` for methods that never hold them).
    public struct Report: Sendable {
        /// How the copy was made.
        public let method: CopyMethod
        /// The database's size.
        public let bytes: Int64
        /// The writers' predicted wait, for the methods that take a lock over many pages.
        public let predictedStall: Duration?
        /// How often SQLite started the copy again because the application wrote.
        public let restarts: Int
    }

    /// Copies `source` into a new file at `path` (which must not exist), for a backup.
    /// - Parameter progress: `(pages copied, pages in all)` as the copy goes.
    /// - Throws: `SQLiteError`, `CopyRefusal`, or `FileClone.Failure` of a clone the file
    ///   system could make but did not (a full disk).
    public static func toFile(_ source: Connection, path: String, limits: CopyLimits,
                              progress: ((Int, Int) -> Void)? = nil) throws -> Report {
        let bytes = try size(of: source)
        if try !isWAL(source), try cloneUnderReadLock(source, to: path) {
            return Report(method: .clone, bytes: bytes, predictedStall: nil, restarts: 0)
        }
        let destination = try Connection(path: path, mode: .readWriteCreate)
        // The caller syncs the finished file; a sync inside SQLite's last step would come
        // while the source is still locked.
        try destination.execute("PRAGMA synchronous = OFF")
        let writeOut = WriteOut(path: path)
        return try copy(source, into: destination, bytes: bytes, limits: limits, writeOut: writeOut, progress: progress)
    }

    /// Copies `source` into `scratch` (a rehearsal's private database). A rollback-journal
    /// database on a file system that clones is cloned beside itself under a short read
    /// lock and the scratch filled from the clone, so the live file is read under a lock
    /// for milliseconds only. Copies that hold no lock (from a clone, from a WAL
    /// snapshot) are paced at `maxRate`, as backups are.
    /// - Throws: `SQLiteError`, or `CopyRefusal` when the copy would hold the application
    ///   back too long (the rehearsal then copies the schema alone).
    public static func toScratch(_ source: Connection, scratch: Connection, limits: CopyLimits) throws -> Report {
        let bytes = try size(of: source)
        if try !isWAL(source), !source.path.isEmpty {
            let clonePath = source.path + ".sluice-rehearsal-\(getpid())"
            defer { for suffix in ["", "-journal"] { unlink(clonePath + suffix) } }
            if try cloneUnderReadLock(source, to: clonePath) {
                // Nobody else writes the clone: no lock, and paced like a backup, so the
                // copy's reads and writes leave the disk and a core to the application.
                let clone = try Connection(path: clonePath, mode: .readOnly)
                let run = try BackupRun(from: clone, into: scratch)
                var pacer = Pacer(maxRate: limits.maxRate, bytesPerPage: bytes / max(1, try pageCount(of: clone)))
                try pacer.stepAll(run, writeOut: nil, progress: nil)
                try run.finish()
                return Report(method: .clone, bytes: bytes, predictedStall: nil, restarts: 0)
            }
        }
        // Waiting for a quiet spell would hold the whole queue up.
        var scratchLimits = limits
        scratchLimits.overStall = .hold
        return try copy(source, into: scratch, bytes: bytes, limits: scratchLimits, writeOut: nil, progress: nil)
    }

    /// The stepped copy through SQLite's backup API, after a clone was not possible.
    private static func copy(_ source: Connection, into destination: Connection, bytes: Int64, limits: CopyLimits,
                             writeOut: WriteOut?, progress: ((Int, Int) -> Void)?) throws -> Report {
        let run = try BackupRun(from: source, into: destination)
        var pacer = Pacer(maxRate: limits.maxRate, bytesPerPage: bytes / Int64(max(1, try pageCount(of: source))))
        if try isWAL(source) {
            // Readers never hold WAL writers back: one snapshot for the whole copy, paced.
            try source.beginReadSnapshot()
            defer { try? source.execute("COMMIT") }
            try pacer.stepAll(run, writeOut: writeOut, progress: progress)
            try run.finish()
            writeOut?.flush()
            return Report(method: .walSnapshot, bytes: bytes, predictedStall: nil, restarts: pacer.restarts)
        }
        // Rollback journal: the read lock is taken and a first step copied under it,
        // which measures the copy rate and so predicts how long the whole copy would hold
        // the writers. Within the bound the copy goes on under the same lock (one
        // snapshot, never restarted); above it the lock is released after that one step.
        // Under the lock, pacing and write-out would only lengthen the stall: the pages go
        // to disk once the lock is released.
        let clock = ContinuousClock()
        let start = clock.now
        let maxRate = pacer.maxRate
        pacer.maxRate = nil
        try source.beginReadSnapshot()
        var predicted = Duration.zero
        var perPage = Duration.zero
        do {
            if try !pacer.step(run, pages: Connection.pagesPerStep, writeOut: nil, progress: progress) {
                perPage = pacer.lastStepDuration / max(1, run.copiedPages)
                predicted = perPage * run.remainingPages
                if predicted <= limits.maxStall { try pacer.stepAll(run, writeOut: nil, progress: progress) }
            }
        } catch {
            try? source.execute("COMMIT")
            throw error
        }
        if run.remainingPages == 0 {
            try run.finish()
            try? source.execute("COMMIT")
            writeOut?.flush()
            return Report(method: .lockedSnapshot, bytes: bytes, predictedStall: predicted == .zero ? pacer.lastStepDuration : predicted, restarts: pacer.restarts)
        }
        try? source.execute("COMMIT")
        pacer.maxRate = maxRate
        guard limits.overStall == .wait else {
            let rate = Int64(Double(bytes) / max(1e-9, Self.seconds(perPage * run.pageCount)))
            throw CopyRefusal.stallTooLong(predicted: predicted, bound: limits.maxStall, bytes: bytes, bytesPerSecond: rate)
        }
        // Short steps, each under its own lock; a write by the application makes SQLite
        // start again. Give up once twice the time of an undisturbed copy has passed.
        let allowed = perPage * run.pageCount * 2 + .seconds(1)
        try pacer.stepAll(run, writeOut: writeOut, progress: progress) { restarts in
            if clock.now - start > allowed, restarts > 0 {
                throw CopyRefusal.noQuietSpell(restarts: restarts, seconds: Self.seconds(clock.now - start))
            }
        }
        try run.finish()
        writeOut?.flush()
        return Report(method: .quietSteps, bytes: bytes, predictedStall: perPage * Int(Connection.pagesPerStep), restarts: pacer.restarts)
    }

    /// Clones the database file into `path` under a read lock held for the clone alone.
    /// - Returns: `false` when the file system cannot clone (nothing is left at `path`).
    /// - Throws: `SQLiteError` when the lock cannot be had, `FileClone.Failure` when the
    ///   clone failed for another reason (a full disk).
    private static func cloneUnderReadLock(_ source: Connection, to path: String) throws -> Bool {
        let input = open(source.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return false }
        defer { close(input) }
        // A file that cannot be made here (a read-only directory) is copied another way.
        let output = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { return false }
        defer { close(output) }
        // The shared lock (and the hot-journal rollback a reader does first) makes the
        // file one committed state while it is cloned.
        try source.beginReadSnapshot()
        let cloned = FileClone.clone(from: input, to: output)
        try? source.execute("COMMIT")
        switch cloned {
        case .success: return fsync(output) == 0 || { unlink(path); return false }()
        case .failure(.unsupported):
            unlink(path)
            return false
        case .failure(let failure):
            unlink(path)
            throw failure
        }
    }

    /// Whether `source` is in WAL mode.
    static func isWAL(_ source: Connection) throws(SQLiteError) -> Bool {
        try source.scalar("PRAGMA journal_mode")?.text?.lowercased() == "wal"
    }

    /// The source's pages (`PRAGMA page_count`).
    private static func pageCount(of source: Connection) throws(SQLiteError) -> Int64 {
        try source.scalar("PRAGMA page_count")?.integer ?? 0
    }

    /// The source's size in bytes (pages × page size), what a copy writes.
    private static func size(of source: Connection) throws(SQLiteError) -> Int64 {
        try pageCount(of: source) * (try source.scalar("PRAGMA page_size")?.integer ?? 4096)
    }

    /// A duration in seconds, for rates and the pacer's arithmetic.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
