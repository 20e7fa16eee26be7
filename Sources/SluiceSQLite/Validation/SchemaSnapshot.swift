import FoundationEssentials

/// The schema of a database as comparable facts, so a rehearsal can tell whether a
/// downgrade restored it and whether an upgrade lost tables or columns.
///
/// Tables are described by structure (`pragma_table_xinfo`, `pragma_foreign_key_list`,
/// `pragma_index_xinfo`) rather than by their `CREATE` text, which `ALTER TABLE`
/// rewrites; views and triggers by their whitespace-normalized SQL.
public struct SchemaSnapshot: Sendable, Equatable {
    /// One column as `pragma_table_xinfo` reports it.
    public struct Column: Sendable, Equatable, Hashable {
        public let name: String
        public let type: String
        public let notNull: Bool
        public let defaultValue: String?
        public let primaryKeyPosition: Int
        public let hidden: Int
    }

    /// One schema object: its `sqlite_master` row and the facts derived from it.
    struct Object: Sendable, Equatable {
        let type: String
        let name: String
        /// `tbl_name` and `sql` as stored: the same row means the same object.
        let row: String
        /// The columns, for a table.
        let columns: [Column]?
        let facts: [String]
    }

    /// The objects by type and name (`table\u{1}users`).
    private(set) var objects: [String: Object] = [:]

    /// Columns by table, in declaration order.
    public var tables: [String: [Column]] {
        var tables: [String: [Column]] = [:]
        for object in objects.values { if let columns = object.columns { tables[object.name] = columns } }
        return tables
    }

    /// Every fact about the schema, one line each; equal facts mean equal schemas.
    public var facts: Set<String> { Set(objects.values.flatMap(\.facts)) }

    /// The columns of `table`, or `nil` when there is no such table.
    func columns(of table: String) -> [Column]? { objects["table\u{1}" + table]?.columns }

    /// The tables whose definition differs in `other` (changed or gone), by name.
    func tablesChanged(in other: SchemaSnapshot) -> [String] {
        objects.compactMap { id, object in object.columns != nil && other.objects[id] != object ? object.name : nil }.sorted()
    }

    /// Objects already described, by type and name with the row they were described
    /// from: an object whose definition did not change is not inspected again, so
    /// rehearsing a long history costs a `sqlite_master` read per snapshot, not a full
    /// schema walk.
    public final class Cache {
        var objects: [String: Object] = [:]
        /// Creates an empty cache.
        public init() {}
    }

    /// Reads the schema of `connection`'s main database, leaving out sluice's own tables.
    public static func capture(_ connection: Connection, excluding: Set<String>, cache: Cache = Cache()) throws(SQLiteError) -> SchemaSnapshot {
        var snapshot = SchemaSnapshot()
        let rows = try connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        snapshot.objects.reserveCapacity(rows.count)
        for row in rows {
            guard let type = row[0].text, let name = row[1].text, !excluding.contains(name) else { continue }
            let table = row[2].text ?? ""
            if excluding.contains(table) { continue }
            let id = type + "\u{1}" + name
            let text = table + "\u{1}" + (row[3].text ?? "")
            if let known = cache.objects[id], known.row == text {
                snapshot.objects[id] = known
                continue
            }
            var single = Described()
            try single.describe(type: type, name: name, table: table, sql: row[3].text, in: connection)
            let object = Object(type: type, name: name, row: text, columns: single.columns, facts: single.facts)
            cache.objects[id] = object
            snapshot.objects[id] = object
        }
        return snapshot
    }

    /// Facts in `other` but not in `self` (missing), and the reverse (extra), each
    /// sorted. Objects with the same row on both sides have the same facts, so only the
    /// others are compared.
    public func differences(from other: SchemaSnapshot) -> (missing: [String], extra: [String]) {
        var mine = Set<String>()
        var theirs = Set<String>()
        for (id, object) in objects where other.objects[id] != object { mine.formUnion(object.facts) }
        for (id, object) in other.objects where objects[id] != object { theirs.formUnion(object.facts) }
        return (theirs.subtracting(mine).sorted(), mine.subtracting(theirs).sorted())
    }

    /// What `describe` derives from one object.
    private struct Described {
        var columns: [Column]?
        var facts: [String] = []

        mutating func describe(type: String, name: String, table: String, sql: String?, in connection: Connection) throws(SQLiteError) {
            switch type {
            case "table":
                let columns = try connection.rows("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", [.text(name)]).map {
                    Column(name: $0[0].text ?? "", type: $0[1].text ?? "", notNull: $0[2].integer == 1,
                           defaultValue: $0[3].text, primaryKeyPosition: Int($0[4].integer ?? 0), hidden: Int($0[5].integer ?? 0))
                }
                self.columns = columns
                facts.append("table \(name)")
                for (position, column) in columns.enumerated() {
                    facts.append("table \(name) column #\(position + 1) \(SchemaSnapshot.describe(column))")
                }
                let keys = try connection.rows("SELECT \"table\", \"from\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list(?) ORDER BY id, seq", [.text(name)])
                for key in keys {
                    facts.append("table \(name) foreign key (\(key[1])) references \(key[0])(\(key[2])) on update \(key[3]) on delete \(key[4])")
                }
                if let options = try connection.rows("SELECT wr, strict FROM pragma_table_list(?)", [.text(name)]).first {
                    if options[0].integer == 1 { facts.append("table \(name) WITHOUT ROWID") }
                    if options[1].integer == 1 { facts.append("table \(name) STRICT") }
                }
            case "index":
                let unique = try connection.scalar("SELECT \"unique\" FROM pragma_index_list(?) WHERE name = ?", [.text(table), .text(name)])?.integer ?? 0
                let columns = try connection.rows("SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [.text(name)])
                    .map { "\($0[0].text ?? "<expression>") \($0[1].integer == 1 ? "DESC" : "ASC") \($0[2])" }
                var fact = "index \(name) on \(table) (\(columns.joined(separator: ", ")))\(unique == 1 ? " UNIQUE" : "")"
                if let sql, let condition = SchemaSnapshot.partialIndexCondition(sql) {
                    fact += " WHERE \(SchemaSnapshot.normalize(condition))"
                }
                facts.append(fact)
            default:
                facts.append("\(type) \(name): \(SchemaSnapshot.normalize(sql ?? ""))")
            }
        }
    }

    static func describe(_ column: Column) -> String {
        var text = "\(column.name) \(column.type)"
        if column.notNull { text += " NOT NULL" }
        if let value = column.defaultValue { text += " DEFAULT \(value)" }
        if column.primaryKeyPosition > 0 { text += " PRIMARY KEY(\(column.primaryKeyPosition))" }
        if column.hidden != 0 { text += " GENERATED(\(column.hidden))" }
        return text
    }

    /// Collapses white space, and drops it around punctuation, so formatting alone never
    /// counts as a change.
    public static func normalize(_ sql: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in sql {
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, let last = out.last, !"(),;".contains(last), !"(),;".contains(character) { out.append(" ") }
            pendingSpace = false
            out.append(character)
        }
        return out
    }

    /// What follows the first ` WHERE ` (any case) of a `CREATE INDEX` statement: the
    /// condition of a partial index.
    static func partialIndexCondition(_ sql: String) -> String? {
        let bytes = Array(sql.utf8)
        let keyword = Array(" WHERE ".utf8)
        guard bytes.count >= keyword.count else { return nil }
        for start in 0...(bytes.count - keyword.count) {
            let matches = (0..<keyword.count).allSatisfy { offset in
                let byte = bytes[start + offset]
                let lowered = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
                return lowered == (keyword[offset] | (keyword[offset] == 0x20 ? 0 : 0x20))
            }
            if matches { return String(decoding: bytes[(start + keyword.count)...], as: UTF8.self) }
        }
        return nil
    }
}
