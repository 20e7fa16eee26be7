import SluiceConfig
import SluiceSQLite

extension BackupSettings {
    /// The configured bounds as the copier takes them, for the daemon and the command line
    /// alike, so a backup or a rehearsal copy gets in the application's way no more from
    /// one than from the other.
    public var copyLimits: CopyLimits {
        CopyLimits(maxRate: maxRate, maxStall: maxStall, overStall: onLongStall == .wait ? .wait : .hold)
    }

    /// Where backups of `database` go: the configured directory, else `backups/` beside
    /// the database.
    public func directory(forDatabase database: String) -> String {
        directory ?? BackupStore.defaultDirectory(forDatabase: database)
    }

    /// The store the daemon and the CLI both take and prune `database`'s backups with.
    public func store(forDatabase database: String) -> BackupStore {
        BackupStore(directory: directory(forDatabase: database), keep: keep, database: database, limits: copyLimits, maxTotal: maxTotal)
    }
}
