import FoundationEssentials

/// A database opened to be migrated: sluice's lock taken, a connection made under it
/// within one waiting budget, the bookkeeping tables ready, and a `Migrator` with the
/// revision policy and the backups configured. Every writer goes through it (the CLI's
/// `upgrade`, `downgrade`, `stamp`, `restore`, `reset`, `init` and import, and the
/// daemon's applies), so every path gets the same lock, budget, policy and backups.
public struct MigrationSession {
    /// Held for as long as the session is: released when the last copy goes away.
    public let lock: DatabaseLock
    /// The migrator on the connection made under the lock.
    public let migrator: Migrator

    /// What `open` needs to know about the database and the process opening it.
    public struct Options {
        /// The database file; created, with its directory's parent existing, if missing.
        public var database: String
        /// `alembic_version` or the configured name.
        public var versionTable: VersionTable
        /// Who writes the history rows: `cli` or `daemon`.
        public var trigger: HistoryRecord.Trigger
        /// What revisions may not do.
        public var policy: RevisionPolicy
        /// Where backups before revisions that cannot be rolled back go.
        public var backups: BackupStore?
        /// Create the database when it does not exist (`upgrade` of a new database); a
        /// fleet member that was removed must not come back empty.
        public var createIfMissing = true

        /// Describes a session.
        public init(database: String, versionTable: VersionTable, trigger: HistoryRecord.Trigger, policy: RevisionPolicy, backups: BackupStore?) {
            self.database = database
            self.versionTable = versionTable
            self.trigger = trigger
            self.policy = policy
            self.backups = backups
        }
    }

    /// Takes the lock, then opens the database for writing and prepares the tables.
    /// `budget` is one waiting budget: what the lock took is not given to SQLite's busy
    /// wait again.
    /// - Throws: `DatabaseLock.Held` or `.Failure` when the lock cannot be taken,
    ///   `SQLiteError` (busy when the application held the database past the budget) or
    ///   `MigrationError` when the tables cannot be prepared.
    public static func open(_ options: Options, budget: Duration) throws -> MigrationSession {
        let clock = ContinuousClock()
        let start = clock.now
        let lock = try DatabaseLock(database: options.database, timeout: budget)
        let connection = try Connection(path: options.database, mode: options.createIfMissing ? .readWriteCreate : .readWriteExisting,
                                        busyTimeout: budget - (clock.now - start))
        let migrator = Migrator(connection: connection, versionTable: options.versionTable, trigger: options.trigger)
        migrator.policy = options.policy
        migrator.backups = options.backups
        try migrator.prepareTables()
        return MigrationSession(lock: lock, migrator: migrator)
    }
}
