/// The renames, checked against both schemas and carried into the current one the way
/// SQLite's `ALTER TABLE … RENAME` carries them (into the table, its indexes and the
/// foreign keys that point at it), so what is left to compare is what really changed.
extension SchemaDiff {
    /// Checks every hint against the schemas, so a misspelt name is an error, not a
    /// silent drop and add.
    static func check(_ renames: SchemaRenames, current: SchemaModel, desired: SchemaModel) throws(SchemaDiffError) {
        for (old, new) in renames.tables.sorted(by: { $0.key < $1.key }) {
            let newKey = SQLToken.lowercased(new)
            guard current[.table, old] != nil else {
                throw SchemaDiffError("--rename \(old)=\(new): there is no table \(old) in the schema the revisions produce")
            }
            guard desired[.table, newKey] != nil else {
                throw SchemaDiffError("--rename \(old)=\(new): there is no table \(new) in the desired schema")
            }
            guard desired[.table, old] == nil else {
                throw SchemaDiffError("--rename \(old)=\(new): the desired schema still has a table \(old)")
            }
            guard current[.table, newKey] == nil || renames.tables[newKey] != nil else {
                throw SchemaDiffError("--rename \(old)=\(new): the schema the revisions produce already has a table \(new)")
            }
        }
        for (table, columns) in renames.columns.sorted(by: { $0.key < $1.key }) {
            guard let before = current[.table, table]?.definition else {
                throw SchemaDiffError("--rename \(table).…: there is no table \(table) in the schema the revisions produce")
            }
            let newTable = renames.tables[table] ?? before.name
            guard let after = desired[.table, SQLToken.lowercased(newTable)]?.definition else {
                throw SchemaDiffError("--rename \(table).…: there is no table \(newTable) in the desired schema")
            }
            for (old, new) in columns.sorted(by: { $0.key < $1.key }) {
                let newKey = SQLToken.lowercased(new)
                guard before.column(old) != nil else {
                    throw SchemaDiffError("--rename \(table).\(old)=\(new): table \(table) has no column \(old) in the schema the revisions produce")
                }
                guard after.column(newKey) != nil else {
                    throw SchemaDiffError("--rename \(table).\(old)=\(new): table \(newTable) has no column \(new) in the desired schema")
                }
                guard after.column(old) == nil else {
                    throw SchemaDiffError("--rename \(table).\(old)=\(new): table \(newTable) still has a column \(old) in the desired schema")
                }
                guard before.column(newKey) == nil || columns[newKey] != nil else {
                    throw SchemaDiffError("--rename \(table).\(old)=\(new): table \(table) already has a column \(new)")
                }
            }
        }
    }

    /// `schema` with table `old` called `new`, as `ALTER TABLE old RENAME TO new` leaves it.
    static func renameTable(_ old: String, to new: String, in schema: inout SchemaModel) {
        let newKey = SQLToken.lowercased(new)
        schema.updateAll { object in
            if object.kind == .table && object.key == old {
                object.name = new
                object.table = new
            }
            if object.kind != .table && object.tableKey == old { object.table = new }
            if object.kind == .index && object.tableKey == newKey {
                if let on = object.tokens.firstIndex(where: { $0.isKeyword("on") }), on + 1 < object.tokens.count {
                    object.tokens[on + 1] = renamed(object.tokens[on + 1], to: new)
                }
            }
            if var definition = object.definition {
                for index in definition.columns.indices {
                    definition.columns[index].tokens = renamingReferences(definition.columns[index].tokens, table: old, to: new)
                }
                definition.constraints = definition.constraints.map { renamingReferences($0, table: old, to: new) }
                object.definition = definition
            }
        }
    }

    /// `schema` with column `old` of `table` called `new`, as `ALTER TABLE … RENAME
    /// COLUMN` leaves it: in the table's definition, its indexes, and the foreign keys
    /// that name it.
    static func renameColumn(_ old: String, of table: String, to new: String, in schema: inout SchemaModel) {
        schema.updateAll { object in
            if object.kind == .index && object.tableKey == table {
                let start = (object.tokens.firstIndex { $0.isKeyword("on") } ?? object.tokens.count) + 2
                for index in object.tokens.indices where index >= start && object.tokens[index].name == old {
                    object.tokens[index] = renamed(object.tokens[index], to: new)
                }
            }
            guard var definition = object.definition else { return }
            let own = object.kind == .table && object.key == table
            for index in definition.columns.indices {
                definition.columns[index].tokens = renamingColumn(definition.columns[index].tokens, old, to: new, table: table, own: own)
            }
            definition.constraints = definition.constraints.map { renamingColumn($0, old, to: new, table: table, own: own) }
            object.definition = definition
        }
    }

    /// `tokens` with the table named in `REFERENCES old` renamed.
    private static func renamingReferences(_ tokens: [SQLToken], table old: String, to new: String) -> [SQLToken] {
        var tokens = tokens
        for index in tokens.indices.dropLast() where tokens[index].isKeyword("references") && tokens[index + 1].name == old {
            tokens[index + 1] = renamed(tokens[index + 1], to: new)
        }
        return tokens
    }

    /// `tokens` with column `old` renamed: inside the table's own definition (`own`)
    /// everywhere but in foreign keys to other tables; elsewhere only in the column list of
    /// a `REFERENCES table (…)`.
    private static func renamingColumn(_ tokens: [SQLToken], _ old: String, to new: String, table: String, own: Bool) -> [SQLToken] {
        var tokens = tokens
        var index = 0
        while index < tokens.count {
            if tokens[index].isKeyword("references"), index + 1 < tokens.count {
                let target = tokens[index + 1].name
                index += 2
                guard index < tokens.count, tokens[index].text == "(" else { continue }
                while index < tokens.count && tokens[index].text != ")" {
                    if target == table && tokens[index].name == old { tokens[index] = renamed(tokens[index], to: new) }
                    index += 1
                }
                continue
            }
            // The column's own name is its definition's first token, which a rename changes too.
            if own && tokens[index].name == old { tokens[index] = renamed(tokens[index], to: new) }
            index += 1
        }
        return tokens
    }

    /// A name token spelling `new` instead.
    private static func renamed(_ token: SQLToken, to new: String) -> SQLToken {
        let written = SQLIdentifier.written(new)
        return SQLToken(kind: written.hasPrefix("\"") ? .quotedIdentifier : .word, text: written, range: token.range)
    }
}
