/// The statements that turn one schema into another, by SQLite's rules: `CREATE` and
/// `DROP` for tables, indexes, views and triggers; `ALTER TABLE` to rename a table or a
/// column, add or drop a column where SQLite allows it; and for every other table change
/// (a type, a constraint, a default, a foreign key, `NOT NULL`, a column order, a column
/// that cannot be dropped in place) SQLite's twelve-step rebuild
/// (https://sqlite.org/lang_altertable.html#otheralter): a new table, the common columns
/// copied, the old one dropped, the new one renamed, and the indexes, triggers and views
/// that depend on it made again.
///
/// Pure: it reads two `SchemaModel`s and writes SQL text. Renames are only what the hints
/// say. The transaction and `PRAGMA foreign_keys = OFF` around the statements are sluice's
/// (SPEC §3), so the script holds neither.
public enum SchemaDiff {
    /// The script that turns `current` into `desired`.
    /// - Throws: `SchemaDiffError` for a rename hint that does not fit the schemas.
    public static func script(from current: SchemaModel, to desired: SchemaModel, renames: SchemaRenames = SchemaRenames()) throws(SchemaDiffError) -> SchemaChangeScript {
        try check(renames, current: current, desired: desired)
        var planner = Planner(current: current, desired: desired, renames: renames)
        planner.plan()
        return planner.script()
    }

    /// What happens to one table of the desired schema that the current one has too.
    enum TablePlan: Equatable {
        /// Nothing but the column renames, if any.
        case unchanged
        /// Columns added and dropped in place.
        case alter(added: [TableDefinition.Column], dropped: [TableDefinition.Column])
        /// The twelve-step rebuild, with what changed in words.
        case rebuild(changes: [String])
        /// A virtual table whose definition changed: dropped and created again.
        case replace
    }

    /// The decisions, made once, that the script is written from.
    struct Planner {
        let current: SchemaModel
        let desired: SchemaModel
        let renames: SchemaRenames
        /// The current schema with the renames carried out.
        var work: SchemaModel
        /// For each table of `work` (by key), its key in `current`.
        var originalKey: [String: String] = [:]
        /// Per desired table key that both schemas have.
        var tablePlans: [String: TablePlan] = [:]
        /// Table keys (of `work`) with column renames.
        var renamedColumns: [String: [(old: String, new: String)]] = [:]

        init(current: SchemaModel, desired: SchemaModel, renames: SchemaRenames) {
            self.current = current
            self.desired = desired
            self.renames = renames
            self.work = current
            for table in current.objects(.table) { originalKey[table.key] = table.key }
        }

        mutating func plan() {
            for (old, new) in renames.tables.sorted(by: { $0.key < $1.key }) {
                SchemaDiff.renameTable(old, to: new, in: &work)
                originalKey[SQLToken.lowercased(new)] = old
                if originalKey[old] == old { originalKey[old] = nil }
            }
            for (table, columns) in renames.columns.sorted(by: { $0.key < $1.key }) {
                let workKey = SQLToken.lowercased(renames.tables[table] ?? table)
                for (old, new) in columns.sorted(by: { $0.key < $1.key }) {
                    let written = current[.table, table]?.definition?.column(old)?.name ?? old
                    SchemaDiff.renameColumn(old, of: workKey, to: new, in: &work)
                    renamedColumns[workKey, default: []].append((written, new))
                }
            }
            for table in desired.objects(.table) {
                guard let before = work[.table, table.key] else { continue }
                tablePlans[table.key] = Self.tablePlan(from: before, to: table)
            }
        }

        /// How one table changes.
        static func tablePlan(from before: SchemaModel.Object, to after: SchemaModel.Object) -> TablePlan {
            if before.canonical == after.canonical { return .unchanged }
            guard let old = before.definition, let new = after.definition else { return .replace }
            if let (added, dropped) = inPlaceChanges(from: old, to: new) { return .alter(added: added, dropped: dropped) }
            return .rebuild(changes: describeChanges(from: old, to: new))
        }

        /// The columns to add and drop when that is all that differs and SQLite can do both
        /// in place; `nil` when the table must be rebuilt.
        static func inPlaceChanges(from old: TableDefinition, to new: TableDefinition) -> (added: [TableDefinition.Column], dropped: [TableDefinition.Column])? {
            let newKeys = Set(new.columns.map(\.key))
            let oldKeys = Set(old.columns.map(\.key))
            let dropped = old.columns.filter { !newKeys.contains($0.key) }
            let kept = old.columns.filter { newKeys.contains($0.key) }
            guard kept.count <= new.columns.count else { return nil }
            for (keptColumn, newColumn) in zip(kept, new.columns.prefix(kept.count)) {
                guard keptColumn.key == newColumn.key,
                      TableDefinition.canonical(keptColumn.tokens) == TableDefinition.canonical(newColumn.tokens) else { return nil }
            }
            let added = Array(new.columns.dropFirst(kept.count))
            guard added.allSatisfy({ !oldKeys.contains($0.key) && $0.canBeAdded }),
                  dropped.allSatisfy({ $0.canBeDropped(from: old) }),
                  old.constraints.map(TableDefinition.canonical) == new.constraints.map(TableDefinition.canonical),
                  TableDefinition.canonical(old.options) == TableDefinition.canonical(new.options) else { return nil }
            return (added, dropped)
        }

        /// What differs between two definitions of a table, one line each, for the
        /// rebuild's comment.
        static func describeChanges(from old: TableDefinition, to new: TableDefinition) -> [String] {
            var changes: [String] = []
            for column in new.columns {
                if let before = old.column(column.key) {
                    if TableDefinition.canonical(before.tokens) != TableDefinition.canonical(column.tokens) {
                        changes.append("column \(column.name): `\(before.flatText)` becomes `\(column.flatText)`")
                    }
                } else {
                    changes.append("column \(column.name) added: `\(column.flatText)`")
                }
            }
            for column in old.columns where new.column(column.key) == nil {
                changes.append("column \(column.name) dropped")
            }
            let oldOrder = old.columns.map(\.key).filter { new.column($0) != nil }
            let newOrder = new.columns.map(\.key).filter { old.column($0) != nil }
            if oldOrder != newOrder { changes.append("columns reordered") }
            let oldConstraints = old.constraints.map(TableDefinition.canonical)
            let newConstraints = new.constraints.map(TableDefinition.canonical)
            for (index, constraint) in new.constraints.enumerated() where !oldConstraints.contains(newConstraints[index]) {
                changes.append("constraint added: `\(TableDefinition.flat(constraint))`")
            }
            for (index, constraint) in old.constraints.enumerated() where !newConstraints.contains(oldConstraints[index]) {
                changes.append("constraint removed: `\(TableDefinition.flat(constraint))`")
            }
            if TableDefinition.canonical(old.options) != TableDefinition.canonical(new.options) {
                changes.append("table options: `\(TableDefinition.flat(old.options))` become `\(TableDefinition.flat(new.options))`")
            }
            return changes.isEmpty ? ["definition changed"] : changes
        }
    }
}

extension TableDefinition.Column {
    /// The definition on one line, for comments.
    var flatText: String { TableDefinition.flat(tokens) }
}

extension TableDefinition {
    /// Tokens as written, one space apart, for comments.
    static func flat(_ tokens: [SQLToken]) -> String {
        var text = ""
        for token in tokens {
            if !text.isEmpty && token.text != ")" && token.text != "," && !text.hasSuffix("(") { text += " " }
            text += token.text
        }
        return text
    }
}
