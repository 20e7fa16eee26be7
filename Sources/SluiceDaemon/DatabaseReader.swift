import Glibc
import SluiceSQLite

/// One read-only connection to the real database, kept open between evaluations and
/// opened again when the file is replaced (another inode) or appears; `nil` while it
/// does not exist. Holding it open costs nothing: outside a read it takes no lock.
///
/// Every call reads the database once: a writer that died mid-transaction since the
/// last call (the application, `sluice restore`, this daemon) leaves a hot journal that a
/// read-only connection cannot get past, and then the journal is rolled back here
/// (`HotJournalRecovery`) and said in `recovered`, so the daemon never stalls on it
/// and never evaluates a torn file.
final class DatabaseReader {
    let path: String
    private var current: Connection?
    private var identity: (device: UInt, inode: UInt)?
    /// What the last call had to recover, for the log; `nil` when nothing.
    private(set) var recovered: String?

    init(path: String) { self.path = path }

    /// The connection for the file as it is now.
    func connection() throws(SQLiteError) -> Connection? {
        recovered = nil
        var info = stat()
        guard stat(path, &info) == 0 else {
            current = nil
            identity = nil
            return nil
        }
        let now = (device: UInt(info.st_dev), inode: UInt(info.st_ino))
        if let current, let identity, identity == now {
            do {
                try HotJournalRecovery.probe(current)
                return current
            } catch where HotJournalRecovery.needsRecovery(error) {
                self.current = nil
                recovered = try HotJournalRecovery.recover(path, found: error)
            }
        }
        current = nil
        let opened = try HotJournalRecovery.openReadOnly(path)
        recovered = recovered ?? opened.recovered
        current = opened.connection
        identity = now
        return opened.connection
    }
}
