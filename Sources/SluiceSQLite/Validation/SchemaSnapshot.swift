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

    /// Columns by table, in declaration order.
    public private(set) var tables: [String: [Column]] = [:]
    /// Every fact about the schema, one line each; equal facts mean equal schemas.
    public private(set) var facts: Set<String> = []

    /// Facts already derived for a schema object, keyed by its `sqlite_master` row:
    /// an object whose definition did not change is not inspected again, so rehearsing a
    /// long history does not cost a full schema walk per revision.
    public final class Cache {
        var objects: [String: (columns: [Column]?, facts: [String])] = [:]
        /// Creates an empty cache.
        public init() {}
    }

    /// Reads the schema of `connection`'s main database, leaving out sluice's own tables.
    public static func capture(_ connection: Connection, excluding: Set<String>, cache: Cache = Cache()) throws(SQLiteError) -> SchemaSnapshot {
        var snapshot = SchemaSnapshot()
        let objects = try connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        for object in objects {
            guard let type = object[0].text, let name = object[1].text, !excluding.contains(name) else { continue }
            let table = object[2].text ?? ""
            if excluding.contains(table) { continue }
            let key = "\(type)\u{1}\(name)\u{1}\(table)\u{1}\(object[3].text ?? "")"
            if let known = cache.objects[key] {
                if let columns = known.columns { snapshot.tables[name] = columns }
                snapshot.facts.formUnion(known.facts)
                continue
            }
            var single = SchemaSnapshot()
            try single.describe(type: type, name: name, table: table, sql: object[3].text, in: connection)
            cache.objects[key] = (single.tables[name], Array(single.facts))
            if let columns = single.tables[name] { snapshot.tables[name] = columns }
            snapshot.facts.formUnion(single.facts)
        }
        return snapshot
    }

    private mutating func describe(type: String, name: String, table: String, sql: String?, in connection: Connection) throws(SQLiteError) {
        switch type {
        case "table":
            let columns = try connection.rows("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", [.text(name)]).map {
                Column(name: $0[0].text ?? "", type: $0[1].text ?? "", notNull: $0[2].integer == 1,
                       defaultValue: $0[3].text, primaryKeyPosition: Int($0[4].integer ?? 0), hidden: Int($0[5].integer ?? 0))
            }
            tables[name] = columns
            facts.insert("table \(name)")
            for (position, column) in columns.enumerated() {
                facts.insert("table \(name) column #\(position + 1) \(Self.describe(column))")
            }
            let keys = try connection.rows("SELECT \"table\", \"from\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list(?) ORDER BY id, seq", [.text(name)])
            for key in keys {
                facts.insert("table \(name) foreign key (\(key[1])) references \(key[0])(\(key[2])) on update \(key[3]) on delete \(key[4])")
            }
            if let options = try connection.rows("SELECT wr, strict FROM pragma_table_list(?)", [.text(name)]).first {
                if options[0].integer == 1 { facts.insert("table \(name) WITHOUT ROWID") }
                if options[1].integer == 1 { facts.insert("table \(name) STRICT") }
            }
        case "index":
            let unique = try connection.scalar("SELECT \"unique\" FROM pragma_index_list(?) WHERE name = ?", [.text(table), .text(name)])?.integer ?? 0
            let columns = try connection.rows("SELECT name, \"desc\", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", [.text(name)])
                .map { "\($0[0].text ?? "<expression>") \($0[1].integer == 1 ? "DESC" : "ASC") \($0[2])" }
            var fact = "index \(name) on \(table) (\(columns.joined(separator: ", ")))\(unique == 1 ? " UNIQUE" : "")"
            if let sql, let condition = Self.partialIndexCondition(sql) {
                fact += " WHERE \(Self.normalize(condition))"
            }
            facts.insert(fact)
        default:
            facts.insert("\(type) \(name): \(Self.normalize(sql ?? ""))")
        }
    }

    /// Facts in `self` but not in `other`, and the reverse, each sorted.
    public func differences(from other: SchemaSnapshot) -> (missing: [String], extra: [String]) {
        (other.facts.subtracting(facts).sorted(), facts.subtracting(other.facts).sorted())
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
    static func normalize(_ sql: String) -> String {
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
