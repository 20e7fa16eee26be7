import CSQLite

/// A failed SQLite call: the extended result code, SQLite's message and the SQL that
/// was running, so the operator sees what SQLite said about which statement.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (connections are opened with `SQLITE_OPEN_EXRESCODE`).
    public let code: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public let message: String
    /// The statement, when one was involved.
    public let sql: String?

    /// Creates an error from its parts.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …).
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether another connection holds a lock that kept this one out.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// Whether the statement was stopped by `sqlite3_interrupt`.
    public var isInterrupt: Bool { primaryCode == SQLITE_INTERRUPT }
    /// The disk (or the database's size limit) is full.
    public var isFull: Bool { primaryCode == SQLITE_FULL }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        if let sql { return "\(message) (\(name), code \(code)) in `\(sql)`" }
        return "\(message) (\(name), code \(code))"
    }
}
