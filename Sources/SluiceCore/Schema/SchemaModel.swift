/// A database schema as the diff sees it: the `sqlite_master` rows of its tables,
/// indexes, views and triggers, each tokenized, in the order SQLite created them. It is
/// built from rows, so the diff is tested without a database; `SchemaModel.capture`
/// (SluiceSQLite) reads it from one.
public struct SchemaModel: Sendable, Equatable {
    /// One schema object.
    public struct Object: Sendable, Equatable {
        /// The object's type, as `sqlite_master.type` says it.
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            case table, index, view, trigger
        }

        /// What it is.
        public let kind: Kind
        /// Its name as stored.
        public var name: String
        /// The table an index or trigger belongs to (`tbl_name`); a table's or view's own name.
        public var table: String
        /// The `CREATE` statement as stored.
        public let sql: String
        /// The statement's tokens (kept in step with renames the diff simulates).
        public var tokens: [SQLToken]
        /// For an ordinary table, its columns and constraints.
        public var definition: TableDefinition?

        /// Creates an object from its `sqlite_master` row.
        public init(kind: Kind, name: String, table: String, sql: String) {
            self.kind = kind
            self.name = name
            self.table = table
            self.sql = sql
            self.tokens = SQLTokenizer.tokens(sql)
            self.definition = kind == .table ? TableDefinition(sql: sql) : nil
        }

        /// The name compared: ASCII lower case.
        public var key: String { SQLToken.lowercased(name) }
        /// The key of the table it belongs to.
        public var tableKey: String { SQLToken.lowercased(table) }
        /// A virtual table (or one SQLite cannot give columns for): changed only as a whole.
        public var isOpaqueTable: Bool { kind == .table && definition == nil }

        /// The definition as compared: canonical tokens (names unquoted and lower-cased,
        /// comments and spacing gone); a table's without its own name.
        public var canonical: String {
            if let definition { return definition.canonicalBody }
            return TableDefinition.canonical(tokens)
        }

        /// Whether any name in the statement is one of `keys`: what decides that a view or
        /// trigger depends on a table or view being changed.
        public func mentions(_ keys: Set<String>) -> Bool {
            tokens.contains { $0.name.map(keys.contains) ?? false }
        }
    }

    /// The objects, in creation order.
    public private(set) var objects: [Object]

    /// A schema from `sqlite_master` rows in `rowid` order (rows without SQL, the automatic
    /// indexes of `UNIQUE` and `PRIMARY KEY` constraints, are left out by the caller).
    public init(objects: [Object]) { self.objects = objects }

    /// The objects of one kind, in creation order.
    public func objects(_ kind: Object.Kind) -> [Object] { objects.filter { $0.kind == kind } }

    /// The object of `kind` called `key` (lower case).
    public subscript(kind: Object.Kind, key: String) -> Object? {
        objects.first { $0.kind == kind && $0.key == key }
    }

    /// Changes every object in place.
    mutating func updateAll(_ change: (inout Object) -> Void) {
        for index in objects.indices { change(&objects[index]) }
    }
}
