/// How a copy of the live database was made, chosen per journal mode and file system;
/// each says what the application felt (docs/daemon.md, "Backups and the application", has the table).
public enum CopyMethod: String, Sendable, Equatable {
    /// Rollback journal on a file system that clones (XFS, btrfs): `FICLONE` under a read
    /// lock held for the clone alone, a few milliseconds whatever the size.
    case clone
    /// WAL: SQLite's backup API in steps inside one read transaction. Readers never block
    /// WAL writers, so the application is not held at all; only the copy's write-back
    /// competes with its `fsync`s, which the rate bound and the copy's own write-out in
    /// steps keep small.
    case walSnapshot = "wal-snapshot"
    /// Rollback journal, no clone, small enough: the copy under one read lock, holding the
    /// application's commits back for the predicted (bounded) time.
    case lockedSnapshot = "locked-snapshot"
    /// Rollback journal, no clone, too large for one lock (`on_long_stall = "wait"`): steps
    /// that each hold the lock briefly, started again whenever the application writes.
    case quietSteps = "quiet-steps"
}
