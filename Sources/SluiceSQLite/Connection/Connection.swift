import CSQLite

/// One SQLite connection, with every return code checked and turned into `SQLiteError`.
///
/// A connection is used from one thread at a time (it is opened with
/// `SQLITE_OPEN_NOMUTEX`); the daemon gives it a dedicated thread, and the CLI is single
/// threaded.
public final class Connection {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Reporting commands: never create or change anything.
        case readOnly
        /// Write commands: the file must exist or is created.
        case readWriteCreate
        /// An existing file, opened for writing but never created: rolling back a hot
        /// journal for a reporting command.
        case readWriteExisting
    }

    /// The raw handle, for the few calls that live in extensions.
    let handle: OpaquePointer
    /// The path opened (`:memory:` for rehearsals).
    public let path: String
    var authorizerBox: AuthorizerBox?
    var progressBox: ProgressBox?

    /// Opens `path`.
    /// - Parameter busyTimeout: how long a statement waits for another connection's lock
    ///   before failing with `SQLITE_BUSY`.
    /// - Throws: `SQLiteError` when SQLite cannot open the file.
    public init(path: String, mode: Mode, busyTimeout: Duration = .seconds(5)) throws(SQLiteError) {
        _ = sqliteConfigured
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWriteExisting: flags |= SQLITE_OPEN_READWRITE
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        self.handle = db
        self.path = path
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(db, Int32(clamping: max(0, milliseconds)))
        // Extensions are never loaded from revision files.
        sluice_disable_extension_loading(db)
        if mode == .readWriteCreate {
            // Like a careful application (and GRDB), sluice's own sessions enforce foreign
            // keys; the migrator switches enforcement off around each revision.
            sqlite3_exec(db, "PRAGMA foreign_keys = ON", nil, nil, nil)
        }
        installProgressHook()
    }

    /// Changes how long a statement waits for another connection's lock before failing
    /// with `SQLITE_BUSY` (a negative or zero duration: not at all).
    public func setBusyTimeout(_ duration: Duration) {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: max(0, milliseconds)))
    }

    /// Opens a private scratch database for rehearsals: SQLite's own temporary
    /// database (an empty path), a file in the temporary directory that SQLite unlinks
    /// as soon as it is open, so no other process can reach it, and that is never
    /// synced. Unlike `:memory:`, its pages stay in SQLite's bounded page cache and the
    /// rest goes to the file: rehearsing a million-row revision, or copying a database
    /// up to `rehearsal_max_bytes`, does not grow the process by that much.
    public static func privateScratch() throws(SQLiteError) -> Connection {
        let connection = try Connection(path: "", mode: .readWriteCreate)
        try connection.execute("PRAGMA synchronous = OFF")
        return connection
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// The last error SQLite reported on this connection, as a typed error.
    func lastError(_ code: Int32, sql: String? = nil) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle) != 0 ? sqlite3_extended_errcode(handle) : code,
                    message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Prepares one statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw lastError(rc, sql: sql) }
        return Statement(handle: statement, connection: self)
    }

    /// Runs a query and returns every row as text values (`nil` for NULL).
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var result: [[SQLValue]] = []
        while try statement.step() {
            result.append(statement.row())
        }
        return result
    }

    /// Runs a statement with arguments that returns no rows.
    public func run(_ sql: String, _ arguments: [SQLValue]) throws(SQLiteError) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// The first column of the first row, or `nil`.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) -> SQLValue? {
        try rows(sql, arguments).first?.first
    }

    /// Whether a table of that name exists in the main schema.
    public func tableExists(_ name: String) throws(SQLiteError) -> Bool {
        try scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]) != nil
    }

    /// Whether the connection is inside a transaction.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// The number of rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }
}

/// SQLite's process-wide settings, applied once before the first connection (a Swift
/// global is initialized once, on first use, under a lock): memory statistics off, so
/// connections on different threads (a fleet's members read side by side) do not queue on
/// the one mutex every allocation would take.
private let sqliteConfigured: Int32 = sluice_disable_memory_statistics()
