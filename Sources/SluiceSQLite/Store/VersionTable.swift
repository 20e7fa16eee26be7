/// Alembic's version table, exactly as Alembic creates it, so a database can move
/// between Alembic and sluice in either direction: one row per head of the applied set.
public struct VersionTable: Sendable {
    /// The table name (`version_table` in the configuration).
    public let name: String

    /// The name as an SQL identifier, quoted once here: every revision's bookkeeping
    /// statements use it, and `replacing` goes through generic string searching.
    let quoted: String

    /// Creates an accessor for the table called `name`.
    public init(name: String = "alembic_version") {
        self.name = name
        self.quoted = "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// The DDL Alembic emits for SQLite, constraint name included.
    public var createSQL: String {
        """
        CREATE TABLE \(quoted) (
        \tversion_num VARCHAR(32) NOT NULL, 
        \tCONSTRAINT \(name)_pkc PRIMARY KEY (version_num)
        )
        """
    }

    /// Creates the table unless it exists.
    public func create(in connection: Connection) throws(SQLiteError) {
        if try !connection.tableExists(name) { try connection.execute(createSQL) }
    }

    /// The rows, sorted; empty when the table does not exist (a database sluice or Alembic
    /// never touched).
    public func heads(in connection: Connection) throws(SQLiteError) -> [String] {
        guard try connection.tableExists(name) else { return [] }
        return try connection.rows("SELECT version_num FROM \(quoted) ORDER BY version_num").compactMap { $0.first?.text }
    }

    /// The rows in the order Alembic reads them (`SELECT version_num FROM
    /// alembic_version`: the table's own order), which decides where Alembic starts a
    /// relative `downgrade -N` from several rows.
    public func rowsAsStored(in connection: Connection) throws(SQLiteError) -> [String] {
        guard try connection.tableExists(name) else { return [] }
        return try connection.rows("SELECT version_num FROM \(quoted)").compactMap { $0.first?.text }
    }

    /// Turns rows `before` into `after` as Alembic does: an UPDATE where a row is
    /// replaced (a linear step, the surviving parent of a merge), so rows keep their
    /// place; DELETE and INSERT for what is left of branches, merges and unmerges.
    public func transition(from before: [String], to after: [String], in connection: Connection) throws(SQLiteError) {
        var removed = before.filter { !after.contains($0) }
        var added = after.filter { !before.contains($0) }
        while let from = removed.last, let to = added.first {
            try connection.run("UPDATE \(quoted) SET version_num = ? WHERE version_num = ?", [.text(to), .text(from)])
            if connection.changes != 1 {
                throw SQLiteError(code: 1, message: "\(name) has no row \(from) to update; another process changed it")
            }
            removed.removeLast()
            added.removeFirst()
        }
        for id in removed {
            try connection.run("DELETE FROM \(quoted) WHERE version_num = ?", [.text(id)])
            if connection.changes != 1 {
                throw SQLiteError(code: 1, message: "\(name) has no row \(id) to delete; another process changed it")
            }
        }
        for id in added {
            try connection.run("INSERT INTO \(quoted) (version_num) VALUES (?)", [.text(id)])
        }
    }

    /// Replaces every row with `heads` (stamp).
    public func replace(with heads: [String], in connection: Connection) throws(SQLiteError) {
        let present = try rowsAsStored(in: connection)
        if Set(present).count == present.count {
            try transition(from: present, to: heads, in: connection)
            return
        }
        try connection.execute("DELETE FROM \(quoted)")
        for id in heads {
            try connection.run("INSERT INTO \(quoted) (version_num) VALUES (?)", [.text(id)])
        }
    }
}
