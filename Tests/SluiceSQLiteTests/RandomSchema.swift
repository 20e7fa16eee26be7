import SluiceTestSupport

/// A random SQLite schema for the autogenerate property test, kept as a structure (tables
/// of typed, defaulted, `NOT NULL`, `UNIQUE`, `CHECK` and foreign-key columns; plain,
/// unique, partial and expression indexes; views, views on views; triggers) so it can be
/// mutated the way a developer changes a schema and written out as the SQL a schema file
/// holds. Objects have stable ids, so renames are known and everything that names a
/// renamed object follows it. Rows it inserts satisfy every constraint it can generate.
struct RandomSchema {
    struct Column {
        var id: Int
        var name: String
        var type: String
        var notNull = false
        var defaultValue: String?
        var unique = false
        var check = false
        var references: Int?
        /// Added by the mutation round in progress: its rows hold its default, so it must
        /// not become unique or `NOT NULL` in the same round.
        var isNew = false
    }

    struct Table {
        var id: Int
        var name: String
        var columns: [Column]
        var tableCheck = false
    }

    enum IndexShape: CaseIterable { case plain, partial, expression }

    struct Index {
        var name: String
        var table: Int
        var column: Int
        var unique: Bool
        var shape: IndexShape
    }

    struct View {
        var id: Int
        var name: String
        var table: Int
        var column: Int
        /// A view on this other view (by id) instead of on the table.
        var onView: Int?
        var variant: Int
    }

    struct Trigger {
        var name: String
        var table: Int
        var column: Int
    }

    var tables: [Table] = []
    var indexes: [Index] = []
    var views: [View] = []
    var triggers: [Trigger] = []
    private var nextID = 1

    static let types = ["INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB"]
    static let rowsPerTable = 4

    /// An id no object has had yet (names are made from ids, so they never clash).
    mutating func nextObjectID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// A schema of 1–4 tables with some indexes, views and triggers.
    static func random(using random: inout SeededRandom) -> RandomSchema {
        var schema = RandomSchema()
        for _ in 0..<Int.random(in: 1...4, using: &random) { schema.addTable(using: &random) }
        for _ in 0..<Int.random(in: 0...3, using: &random) { _ = schema.addIndex(using: &random) }
        for _ in 0..<Int.random(in: 0...2, using: &random) { _ = schema.addView(using: &random) }
        for _ in 0..<Int.random(in: 0...2, using: &random) { _ = schema.addTrigger(using: &random) }
        schema.settle()
        return schema
    }

    /// Marks every column as old: the end of a mutation round.
    mutating func settle() {
        for t in tables.indices { for c in tables[t].columns.indices { tables[t].columns[c].isNew = false } }
    }

    // MARK: SQL

    /// The statements of the schema, in an order SQLite accepts.
    var statements: [String] {
        var statements = tables.map(createTable)
        for index in indexes { statements.append(createIndex(index)) }
        for view in orderedViews() { statements.append(createView(view)) }
        for trigger in triggers { statements.append(createTrigger(trigger)) }
        return statements
    }

    /// The rows to insert into a fresh database of this schema, table by table.
    var inserts: [String] {
        var statements: [String] = []
        for table in tables {
            for row in 1...Self.rowsPerTable {
                let values = table.columns.map { column -> String in
                    if column.id == table.columns[0].id { return "\(row)" }
                    if column.references != nil { return "\(row % Self.rowsPerTable + 1)" }
                    return Self.value(type: column.type, row: row, column: column.id)
                }
                statements.append("INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))")
            }
        }
        return statements
    }

    /// A value unique to its row and column, of the column's type.
    static func value(type: String, row: Int, column: Int) -> String {
        switch type {
        case "INTEGER": return "\(row * 100 + column)"
        case "REAL": return "\(row).\(column)25"
        case "NUMERIC": return "\(row * 1000 + column)"
        case "BLOB": return "x'\(String(format2(row)))\(String(format2(column % 256)))'"
        default: return "'r\(row)c\(column)'"
        }
    }

    private static func format2(_ value: Int) -> String {
        let hex = String(value, radix: 16)
        return hex.count == 1 ? "0" + hex : String(hex.suffix(2))
    }

    func table(_ id: Int) -> Table? { tables.first { $0.id == id } }
    func column(_ table: Int, _ column: Int) -> Column? { self.table(table)?.columns.first { $0.id == column } }

    private func createTable(_ table: Table) -> String {
        var parts = table.columns.enumerated().map { offset, column -> String in
            if offset == 0 { return "\(column.name) INTEGER PRIMARY KEY" }
            var text = "\(column.name) \(column.type)"
            if column.notNull { text += " NOT NULL" }
            if let value = column.defaultValue { text += " DEFAULT \(value)" }
            if column.unique { text += " UNIQUE" }
            if column.check { text += " CHECK (length(\(column.name)) < 1000)" }
            if let parent = column.references, let target = self.table(parent) {
                text += " REFERENCES \(target.name) (\(target.columns[0].name))"
            }
            return text
        }
        if table.tableCheck { parts.append("CHECK (\(table.columns[0].name) > 0)") }
        return "CREATE TABLE \(table.name) (\n    \(parts.joined(separator: ",\n    "))\n)"
    }

    private func createIndex(_ index: Index) -> String {
        let table = self.table(index.table)!
        let column = self.column(index.table, index.column)!.name
        let key: String
        switch index.shape {
        case .plain, .partial: key = column
        case .expression: key = "lower(\(column))"
        }
        let condition = index.shape == .partial ? " WHERE \(column) IS NOT NULL" : ""
        return "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(index.name) ON \(table.name) (\(key))\(condition)"
    }

    private func createView(_ view: View) -> String {
        if let base = view.onView, let other = views.first(where: { $0.id == base }) {
            return "CREATE VIEW \(view.name) AS SELECT * FROM \(other.name)"
        }
        let table = self.table(view.table)!
        let column = self.column(view.table, view.column)!.name
        let condition = view.variant == 0 ? "\(column) IS NOT NULL" : "\(table.columns[0].name) > \(view.variant)"
        return "CREATE VIEW \(view.name) AS SELECT \(table.columns[0].name) AS key, \(column) AS value FROM \(table.name) WHERE \(condition)"
    }

    private func createTrigger(_ trigger: Trigger) -> String {
        let table = self.table(trigger.table)!
        let column = self.column(trigger.table, trigger.column)!.name
        return "CREATE TRIGGER \(trigger.name) AFTER UPDATE OF \(column) ON \(table.name)\nBEGIN\n    SELECT NEW.\(column);\nEND"
    }

    /// Views with the views they read first.
    private func orderedViews() -> [View] {
        var ordered: [View] = []
        var remaining = views
        while !remaining.isEmpty {
            let ready = remaining.filter { view in view.onView.map { base in ordered.contains { $0.id == base } } ?? true }
            if ready.isEmpty { break }
            ordered += ready
            remaining.removeAll { view in ready.contains { $0.id == view.id } }
        }
        return ordered
    }
}
