import CSQLite
import Glibc

/// Reading a database that a writer left behind mid-transaction.
///
/// When any writer dies inside a transaction (the application, `sluice restore`, sluice
/// itself), SQLite leaves a *hot* rollback journal: the file may hold part of the dead
/// transaction, and the journal holds what it overwrote. The next connection that can
/// write rolls it back before it reads; a read-only connection cannot, and every read
/// fails with `SQLITE_READONLY_ROLLBACK` (code 776). A WAL database whose shared-memory
/// index must be rebuilt fails read-only the same way (`SQLITE_READONLY_RECOVERY`,
/// `SQLITE_READONLY_CANTINIT`).
///
/// Reporting commands and the daemon must answer truthfully in that state, never from
/// the torn file. So they open read-only as always and read the schema once; on one of
/// those codes they roll the journal back the way SQLite does — one read on a read-write
/// connection that is never allowed to create anything — holding sluice's own database
/// lock when its sidecar exists (so no sluice writer starts meanwhile; SQLite's own
/// exclusive lock guards the rollback against everyone else), then open read-only again.
public enum HotJournalRecovery {
    /// A read-only connection, proven readable, and what was recovered to get it.
    public struct Opened {
        /// The connection.
        public let connection: Connection
        /// What was found and done, for the log and the terminal; `nil` when nothing was.
        public let recovered: String?
    }

    /// Whether `error` is SQLite saying a read-only connection cannot read until a
    /// writer has recovered the database.
    public static func needsRecovery(_ error: SQLiteError) -> Bool {
        [readOnlyRollback, readOnlyRecovery, readOnlyCantInit].contains(error.code)
    }

    // sqlite3.h defines the extended codes as macros with shifts, which Swift does not
    // import: SQLITE_READONLY | (n << 8).
    static let readOnlyRecovery = SQLITE_READONLY | (1 << 8)
    static let readOnlyRollback = SQLITE_READONLY | (3 << 8)
    static let readOnlyCantInit = SQLITE_READONLY | (5 << 8)

    /// Reads the database header once: the read that makes SQLite look for a hot journal.
    public static func probe(_ connection: Connection) throws(SQLiteError) {
        _ = try connection.scalar("PRAGMA schema_version")
    }

    /// Opens `path` read-only and reads it once, recovering first when a dead writer's
    /// journal is in the way.
    /// - Parameter lockTimeout: how long to wait for sluice's lock before recovering.
    /// - Throws: `SQLiteError`, worded for the operator when recovery is needed and not
    ///   possible (this user cannot write the database).
    public static func openReadOnly(_ path: String, busyTimeout: Duration = .seconds(5),
                                    lockTimeout: Duration = .seconds(5)) throws(SQLiteError) -> Opened {
        let first = try Connection(path: path, mode: .readOnly, busyTimeout: busyTimeout)
        do {
            try probe(first)
            return Opened(connection: first, recovered: nil)
        } catch where needsRecovery(error) {
            let found = error
            let recovered = try recover(path, found: found, busyTimeout: busyTimeout, lockTimeout: lockTimeout)
            let again = try Connection(path: path, mode: .readOnly, busyTimeout: busyTimeout)
            try probe(again)
            return Opened(connection: again, recovered: recovered)
        }
    }

    /// Rolls back (or, for WAL, recovers) what a dead writer left, as SQLite does when a
    /// writable connection first reads the file.
    /// - Returns: what was done, in words.
    public static func recover(_ path: String, found: SQLiteError, busyTimeout: Duration = .seconds(5),
                               lockTimeout: Duration = .seconds(5)) throws(SQLiteError) -> String {
        var lock: DatabaseLock?
        do {
            lock = try DatabaseLock(database: path, timeout: lockTimeout, create: false)
        } catch let failure as DatabaseLock.Failure where failure.errno == ENOENT || failure.errno == EACCES || failure.errno == EROFS {
            lock = nil  // no sidecar (no sluice ever wrote here), or not ours to lock
        } catch {
            throw SQLiteError(code: found.code, message: "\(path) needs recovery after a writer died mid-transaction, and sluice's lock could not be taken to do it: \(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let what = found.code == readOnlyRollback
            ? "rolled back the hot journal \(path)-journal left by a writer that died mid-transaction"
            : "recovered the WAL index of \(path) after a writer died"
        do {
            let writer = try Connection(path: path, mode: .readWriteExisting, busyTimeout: busyTimeout)
            try probe(writer)
        } catch {
            throw SQLiteError(code: found.code, message: "\(path) has a hot journal left by a writer that died mid-transaction; it must be rolled back before anything can read the database, and this process cannot write it (\(error.message)). Run any sluice command as the database's owner, or start the daemon, and it is rolled back")
        }
        return what
    }
}
