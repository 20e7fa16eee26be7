import CSQLite
import SluiceCore

/// Finds what an upgrade loses: tables dropped and columns removed (directly or by a
/// table rebuild), not counting renames.
enum DestructiveChange {
    /// A loss, with the statement line that caused it when the authorizer saw one.
    struct Loss {
        let what: String
        let line: Int?
    }

    /// Compares the schema before and after an upgrade; `events` are the authorizer
    /// events of the upgrade's statements, each with its file line.
    /// `renames` are the upgrade's `ALTER TABLE … RENAME` statements, in order: a table
    /// or column they rename is followed to its new name, and only then compared.
    static func losses(before: SchemaSnapshot, after: SchemaSnapshot, events: [(line: Int, event: AuthorizerEvent)],
                       renames: [AlterTableRename] = []) -> [Loss] {
        var losses: [Loss] = []
        // Only tables whose definition changed or that are gone can have lost anything.
        let changed = before.tablesChanged(in: after)
        guard !changed.isEmpty else { return [] }
        let created = after.tablesChanged(in: before).filter { before.columns(of: $0) == nil }
        let followed = AlterTableRename.follow(renames)
        let afterNames = Dictionary(after.tables.keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for table in changed {
            let columns = before.columns(of: table) ?? []
            let renamedTo = followed.tables[table.lowercased()].flatMap { afterNames[$0] }
            guard let afterColumns = after.columns(of: renamedTo ?? table) else {
                // Gone without a DROP TABLE of its own, and a table of the same shape is
                // new: it was renamed (perhaps with renamed columns), not dropped.
                let droppedByName = events.contains { $0.event.action == SQLITE_DROP_TABLE && $0.event.first == table }
                let shape = columns.map(\.type)
                let renamed = !droppedByName && created.contains { after.columns(of: $0)?.map(\.type) == shape }
                if !renamed {
                    losses.append(Loss(what: "table \(table) is dropped", line: blame(table: table, before: before, after: after, events: events)))
                }
                continue
            }
            let beforeNames = Set(columns.map(\.name))
            let afterColumnNames = Set(afterColumns.map { $0.name.lowercased() })
            let renamedColumns = followed.columns[table.lowercased()] ?? [:]
            for (position, column) in columns.enumerated() where !afterColumnNames.contains(renamedColumns[column.name.lowercased()] ?? column.name.lowercased()) {
                let renamed = position < afterColumns.count && afterColumns[position].type == column.type && !beforeNames.contains(afterColumns[position].name)
                if !renamed {
                    losses.append(Loss(what: "column \(table).\(column.name) is dropped", line: blame(table: table, before: before, after: after, events: events)))
                }
            }
        }
        return losses
    }

    /// The statement that loses `table`'s data: its own `DROP TABLE`; else, in a rebuild
    /// that renames it away first (`ALTER TABLE t RENAME TO t_old` … `DROP TABLE t_old`),
    /// the drop of a table that neither existed before nor remains after, following the
    /// rename; else the `ALTER TABLE` itself (`DROP COLUMN`).
    private static func blame(table: String, before: SchemaSnapshot, after: SchemaSnapshot, events: [(line: Int, event: AuthorizerEvent)]) -> Int? {
        if let drop = events.first(where: { $0.event.action == SQLITE_DROP_TABLE && $0.event.first == table }) {
            return drop.line
        }
        let alter = events.firstIndex { $0.event.action == SQLITE_ALTER_TABLE && $0.event.second == table }
        if let alter, let drop = events[alter...].first(where: { entry in
            entry.event.action == SQLITE_DROP_TABLE && entry.event.first.map { before.columns(of: $0) == nil && after.columns(of: $0) == nil } == true
        }) {
            return drop.line
        }
        return alter.map { events[$0].line }
    }
}
