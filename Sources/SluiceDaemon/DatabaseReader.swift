import Glibc
import SluiceSQLite

/// One read-only connection to the real database, kept open between evaluations and
/// opened again when the file is replaced (another inode) or appears; `nil` while it
/// does not exist. Holding it open costs nothing: outside a read it takes no lock.
final class DatabaseReader {
    let path: String
    private var current: Connection?
    private var identity: (device: UInt, inode: UInt)?

    init(path: String) { self.path = path }

    /// The connection for the file as it is now.
    func connection() throws(SQLiteError) -> Connection? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            current = nil
            identity = nil
            return nil
        }
        let now = (device: UInt(info.st_dev), inode: UInt(info.st_ino))
        if let current, let identity, identity == now { return current }
        current = nil
        let opened = try Connection(path: path, mode: .readOnly)
        current = opened
        identity = now
        return opened
    }
}
