/// Renames the diff is told about (`--rename users=members`, `--rename users.name=full_name`):
/// a diff alone cannot tell a rename from a drop and an add, and guessing would lose a
/// column's data on a wrong guess, so renames are never inferred.
public struct SchemaRenames: Sendable, Equatable {
    /// Table renames: the current name (lower case) → the new name as written.
    public private(set) var tables: [String: String] = [:]
    /// Column renames by table (the table's current name, lower case): the current column
    /// name (lower case) → the new name as written.
    public private(set) var columns: [String: [String: String]] = [:]

    /// No renames.
    public init() {}

    /// Parses the hints, `old=new` for a table and `table.old=new` for a column.
    /// - Throws: `SchemaDiffError` for a hint that is not of either form.
    public init(hints: [String]) throws(SchemaDiffError) {
        for hint in hints {
            let sides = hint.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard sides.count == 2, !sides[1].isEmpty, !sides[1].contains(".") else {
                throw SchemaDiffError("--rename \(hint): write `table=new_name` for a table or `table.column=new_name` for a column")
            }
            let old = sides[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard old.allSatisfy({ !$0.isEmpty }) else {
                throw SchemaDiffError("--rename \(hint): write `table=new_name` for a table or `table.column=new_name` for a column")
            }
            if old.count == 1 {
                try add(table: old[0], to: sides[1], hint: hint)
            } else {
                try add(column: old[1], of: old[0], to: sides[1], hint: hint)
            }
        }
    }

    /// Adds a table rename.
    public mutating func add(table old: String, to new: String, hint: String? = nil) throws(SchemaDiffError) {
        let key = SQLToken.lowercased(old)
        if let known = tables[key], known != new {
            throw SchemaDiffError("--rename \(hint ?? old): \(old) is already renamed to \(known)")
        }
        tables[key] = new
    }

    /// Adds a column rename.
    public mutating func add(column old: String, of table: String, to new: String, hint: String? = nil) throws(SchemaDiffError) {
        let tableKey = SQLToken.lowercased(table)
        let key = SQLToken.lowercased(old)
        if let known = columns[tableKey]?[key], known != new {
            throw SchemaDiffError("--rename \(hint ?? "\(table).\(old)"): \(table).\(old) is already renamed to \(known)")
        }
        columns[tableKey, default: [:]][key] = new
    }

    /// The renames that undo these, for the downgrade: `new=old`, keyed by the new names.
    /// - Parameter current: the schema the renames start from, for the names as written.
    public func inverted(current: SchemaModel) -> SchemaRenames {
        var inverse = SchemaRenames()
        for (old, new) in tables {
            let written = current[.table, old]?.name ?? old
            inverse.tables[SQLToken.lowercased(new)] = written
        }
        for (table, renames) in columns {
            let newTable = SQLToken.lowercased(tables[table] ?? table)
            for (old, new) in renames {
                let written = current[.table, table]?.definition?.column(old)?.name ?? old
                inverse.columns[newTable, default: [:]][SQLToken.lowercased(new)] = written
            }
        }
        return inverse
    }
}

/// A schema change the diff cannot express, or hints that do not fit the schemas.
public struct SchemaDiffError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what to do.
    public let description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}
