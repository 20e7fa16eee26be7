import SluiceSQLite

extension QueueKeeper {
    /// Removes backup copies a killed daemon left unfinished (`*.partial`), so they take no
    /// space and are never taken for backups. Only the daemon that serves the database
    /// calls it: it is the only one that writes backups.
    /// - Returns: the paths removed.
    func removeUnfinishedBackups() -> [String] {
        backupStore.removeUnfinished()
    }
}
