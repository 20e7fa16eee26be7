import SluiceCore
import SluiceSQLite

/// Compares the database sluice migrated with the one Alembic migrated, object by
/// object, for `sluice import alembic --verify`: every `sqlite_master` object (type,
/// name, and its SQL with white space normalised), the rows of every table both have
/// (a data migration or seed rows must give the same rows), and the version table's
/// rows. The version tables themselves and `sluice_history` are bookkeeping, compared by
/// their rows only.
struct SchemaComparison {
    /// One side: its connection, its version table, and how the output names it.
    struct Side {
        /// `sluice` or `Alembic`, as the output says it.
        let name: String
        /// The migrated scratch database.
        let connection: Connection
        /// Its version table's name.
        let versionTable: String
    }

    /// The database sluice migrated.
    let sluice: Side
    /// The database Alembic migrated.
    let alembic: Side

    /// The number of schema objects compared (for the summary line).
    private(set) var objectCount = 0

    /// Every difference, one message each, by object; empty when the two agree.
    /// - Throws: `SQLiteError` when a database cannot be read.
    mutating func differences() throws(SQLiteError) -> [String] {
        let mine = try objects(sluice), theirs = try objects(alembic)
        objectCount = Set(mine.keys).union(theirs.keys).count
        var found: [String] = []
        for key in Set(mine.keys).union(theirs.keys).sorted() {
            switch (mine[key], theirs[key]) {
            case let (left?, right?) where SchemaSnapshot.normalize(left) != SchemaSnapshot.normalize(right):
                found.append("\(key): differs\n    \(sluice.name): \(Self.oneLine(left))\n    \(alembic.name): \(Self.oneLine(right))")
            case let (left?, nil):
                found.append("\(key): only in \(sluice.name)'s database: \(Self.oneLine(left))")
            case let (nil, right?):
                found.append("\(key): only in \(alembic.name)'s database: \(Self.oneLine(right))")
            default:
                if key.hasPrefix("table "), let rows = try rowDifference(table: String(key.dropFirst("table ".count))) {
                    found.append("\(key): \(rows)")
                }
            }
        }
        let left = try versionRows(sluice), right = try versionRows(alembic)
        if left != right {
            found.append("\(sluice.versionTable == alembic.versionTable ? sluice.versionTable : "version table"): \(sluice.name) has \(Self.list(left)), \(alembic.name) has \(Self.list(right))")
        }
        return found
    }

    /// The version table's rows, sorted.
    func versionRows(_ side: Side) throws(SQLiteError) -> [String] {
        guard try side.connection.tableExists(side.versionTable) else { return [] }
        return try VersionTable(name: side.versionTable).heads(in: side.connection).sorted()
    }

    /// `type name` → SQL of the objects, without SQLite's own and the bookkeeping.
    private func objects(_ side: Side) throws(SQLiteError) -> [String: String] {
        let skipped: Set<String> = [sluice.versionTable, alembic.versionTable, HistoryTable.name]
        var result: [String: String] = [:]
        for row in try side.connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") {
            guard let type = row[0].text, let name = row[1].text, !skipped.contains(row[2].text ?? name) else { continue }
            result["\(type) \(name)"] = row[3].text ?? ""
        }
        return result
    }

    /// How the rows of `table` differ, or `nil` when they are the same (compared as
    /// sorted lists, so insertion order does not matter).
    private func rowDifference(table: String) throws(SQLiteError) -> String? {
        let query = "SELECT * FROM \"\(table.replacing("\"", with: "\"\""))\""
        let left = try sluice.connection.rows(query).map { $0.map(\.description).joined(separator: "|") }.sorted()
        let right = try alembic.connection.rows(query).map { $0.map(\.description).joined(separator: "|") }.sorted()
        guard left != right else { return nil }
        if left.count != right.count { return "rows differ: \(sluice.name) has \(left.count), \(alembic.name) \(right.count)" }
        return "rows differ: \(left.count) in each, with other values"
    }

    private static func oneLine(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func list(_ rows: [String]) -> String {
        rows.isEmpty ? "no row" : rows.joined(separator: ", ")
    }
}
