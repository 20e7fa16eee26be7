/// The planner's decisions written out as statements, in an order SQLite accepts: what
/// depends on a changing table goes first and comes back last, so no rename or drop ever
/// meets a view or trigger that points at a table that is not there.
extension SchemaDiff.Planner {
    func script() -> SchemaChangeScript {
        var script = SchemaChangeScript()
        func step(_ comment: String, _ statements: [String]) {
            script.steps.append(.init(comment: comment, statements: statements))
        }
        let desiredTables = desired.objects(.table)
        let droppedTables = work.objects(.table).filter { desired[.table, $0.key] == nil }
        let createdTables = desiredTables.filter { work[.table, $0.key] == nil }
        var rebuilt = Set<String>()
        for (key, plan) in tablePlans {
            switch plan {
            case .rebuild, .replace: rebuilt.insert(key)
            case .unchanged, .alter: break
            }
        }

        // Which views and triggers must go first and come back last: those naming a table
        // that is renamed, rebuilt, dropped, or losing or renaming a column, and those
        // naming such views, to the end of the chain.
        var touched = rebuilt.union(droppedTables.map(\.key))
        for (old, new) in renames.tables { touched.formUnion([old, SQLToken.lowercased(new)]) }
        touched.formUnion(renamedColumns.keys)
        for (key, plan) in tablePlans {
            if case .alter(_, let dropped) = plan, !dropped.isEmpty { touched.insert(key) }
        }
        let dependents = work.objects.filter { $0.kind == .view || $0.kind == .trigger }
        for object in dependents where object.kind == .view && !sameDefinition(object) { touched.insert(object.key) }
        var removed = Set<String>()
        var changed = true
        while changed {
            changed = false
            for object in dependents where !removed.contains(object.kind.rawValue + object.key) {
                if !sameDefinition(object) || object.mentions(touched) {
                    removed.insert(object.kind.rawValue + object.key)
                    if object.kind == .view { touched.insert(object.key) }
                    changed = true
                }
            }
        }
        for object in dependents.reversed() where object.kind == .trigger && removed.contains("trigger" + object.key) {
            step("drop trigger \(object.name)\(reason(object))", ["DROP TRIGGER \(SQLIdentifier.written(object.name))"])
            if desired[.trigger, object.key] == nil { script.losses.append(SchemaLoss(kind: .trigger, name: object.name)) }
        }
        for object in dependents.reversed() where object.kind == .view && removed.contains("view" + object.key) {
            step("drop view \(object.name)\(reason(object))", ["DROP VIEW \(SQLIdentifier.written(object.name))"])
            if desired[.view, object.key] == nil { script.losses.append(SchemaLoss(kind: .view, name: object.name)) }
        }

        // Indexes that go or change, unless their table goes (they go with it).
        let goneWithTable = rebuilt.union(droppedTables.map(\.key))
        var droppedIndexes = Set<String>()
        for index in work.objects(.index) where !goneWithTable.contains(index.tableKey) {
            guard let wanted = desired[.index, index.key] else {
                step("drop index \(index.name) (not in the resulting schema)", ["DROP INDEX \(SQLIdentifier.written(index.name))"])
                droppedIndexes.insert(index.key)
                continue
            }
            if wanted.canonical != index.canonical {
                step("drop index \(index.name) (changed; created again below)", ["DROP INDEX \(SQLIdentifier.written(index.name))"])
                droppedIndexes.insert(index.key)
            }
        }

        for (old, new) in renames.tables.sorted(by: { $0.key < $1.key }) {
            let written = current[.table, old]?.name ?? old
            step("rename table \(written) to \(new)", ["ALTER TABLE \(SQLIdentifier.written(written)) RENAME TO \(SQLIdentifier.written(new))"])
        }

        for table in desiredTables {
            guard let plan = tablePlans[table.key], let before = work[.table, table.key] else { continue }
            let name = SQLIdentifier.written(table.name)
            let columnRenames = renamedColumns[table.key] ?? []
            if plan != .replace {
                for rename in columnRenames {
                    step("\(table.name): rename column \(rename.old) to \(rename.new)",
                         ["ALTER TABLE \(name) RENAME COLUMN \(SQLIdentifier.written(rename.old)) TO \(SQLIdentifier.written(rename.new))"])
                }
            }
            switch plan {
            case .unchanged:
                break
            case .alter(let added, let dropped):
                for column in added {
                    step("\(table.name): add column \(column.name)", ["ALTER TABLE \(name) ADD COLUMN \(column.text)"])
                }
                for column in dropped {
                    step("\(table.name): drop column \(column.name) (its values are lost)", ["ALTER TABLE \(name) DROP COLUMN \(SQLIdentifier.written(column.name))"])
                    script.losses.append(SchemaLoss(kind: .column, name: "\(table.name).\(column.name)"))
                }
            case .replace:
                step("\(table.name): virtual table changed; dropped and created again (its rows are lost)",
                     ["DROP TABLE \(name)", table.sql])
                script.losses.append(SchemaLoss(kind: .table, name: table.name))
            case .rebuild(let changes):
                step(rebuildComment(table.name, changes + fillerNotes(table, before: before)), rebuildStatements(table, before: before))
                for column in before.definition?.columns ?? [] where table.definition?.column(column.key) == nil {
                    script.losses.append(SchemaLoss(kind: .column, name: "\(table.name).\(column.name)"))
                }
            }
        }

        for table in droppedTables {
            step("drop table \(table.name) (its rows are lost)", ["DROP TABLE \(SQLIdentifier.written(table.name))"])
            script.losses.append(SchemaLoss(kind: .table, name: table.name))
        }
        for table in createdTables {
            step("create table \(table.name)", [table.sql])
        }

        let madeAgain = rebuilt.union(createdTables.map(\.key))
        for index in desired.objects(.index) {
            if work[.index, index.key] == nil || createdTables.contains(where: { $0.key == index.tableKey }) {
                step("create index \(index.name) on \(index.table)", [index.sql])
            } else if droppedIndexes.contains(index.key) {
                step("create index \(index.name) on \(index.table) again", [index.sql])
            } else if madeAgain.contains(index.tableKey) {
                step("create index \(index.name) on \(index.table) again (it went with the old table)", [index.sql])
            }
        }
        for object in desired.objects where object.kind == .view || object.kind == .trigger {
            if work[object.kind, object.key] == nil {
                step("create \(object.kind.rawValue) \(object.name)", [object.sql])
            } else if removed.contains(object.kind.rawValue + object.key) {
                step("create \(object.kind.rawValue) \(object.name) again", [object.sql])
            }
        }
        if !rebuilt.isEmpty {
            step("the rebuilt tables' foreign keys: sluice checks them before it commits and fails the revision on any violation; run elsewhere, this lists them",
                 ["PRAGMA foreign_key_check"])
        }
        script.renameSuggestions = renameSuggestions(droppedTables: droppedTables, createdTables: createdTables)
        return script
    }

    /// Whether a view or trigger reads the same in both schemas.
    private func sameDefinition(_ object: SchemaModel.Object) -> Bool {
        desired[object.kind, object.key]?.canonical == object.canonical
    }

    private func reason(_ object: SchemaModel.Object) -> String {
        guard let wanted = desired[object.kind, object.key] else { return " (not in the resulting schema)" }
        return wanted.canonical == object.canonical ? " (it depends on what changes; created again below)" : " (changed; created again below)"
    }

    private func rebuildComment(_ table: String, _ changes: [String]) -> String {
        (["\(table): rebuilt, as SQLite cannot make these changes in place:"] + changes.map { "  \($0)" }).joined(separator: "\n")
    }

    /// New table, copy, drop, rename; the indexes, triggers and views come later. Renamed
    /// columns were renamed in place before, so the columns both have share their names.
    private func rebuildStatements(_ table: SchemaModel.Object, before: SchemaModel.Object) -> [String] {
        guard let definition = table.definition, let old = before.definition else { return [] }
        let taken = Set(current.objects.map(\.key) + desired.objects.map(\.key))
        var temporary = "sluice_new_\(table.name)"
        var suffix = 2
        while taken.contains(SQLToken.lowercased(temporary)) {
            temporary = "sluice_new_\(table.name)_\(suffix)"
            suffix += 1
        }
        var targets: [String] = []
        var sources: [String] = []
        for column in definition.columns where !column.isGenerated {
            if let source = old.column(column.key) {
                targets.append(SQLIdentifier.written(column.name))
                sources.append(SQLIdentifier.written(source.name))
            } else if let filler = column.fillerForExistingRows {
                targets.append(SQLIdentifier.written(column.name))
                sources.append(filler)
            }
        }
        let name = SQLIdentifier.written(table.name)
        var statements = [definition.sql(named: temporary, from: table.sql)]
        if !targets.isEmpty {
            statements.append("INSERT INTO \(SQLIdentifier.written(temporary)) (\(targets.joined(separator: ", ")))\n  SELECT \(sources.joined(separator: ", ")) FROM \(name)")
        }
        statements += ["DROP TABLE \(name)", "ALTER TABLE \(SQLIdentifier.written(temporary)) RENAME TO \(name)"]
        return statements
    }

    /// Comment lines for the new `NOT NULL` columns without a default that the copy fills.
    private func fillerNotes(_ table: SchemaModel.Object, before: SchemaModel.Object) -> [String] {
        guard let definition = table.definition, let old = before.definition else { return [] }
        return definition.columns.compactMap { column in
            guard old.column(column.key) == nil, let filler = column.fillerForExistingRows else { return nil }
            return "column \(column.name) is NOT NULL without a default: the rows already there get \(filler); review this value"
        }
    }

    /// `--rename` hints worth considering: a table dropped while another is created, a
    /// column dropped while another is added to the same table.
    private func renameSuggestions(droppedTables: [SchemaModel.Object], createdTables: [SchemaModel.Object]) -> [String] {
        var hints: [String] = []
        for dropped in droppedTables where !createdTables.isEmpty {
            hints += createdTables.map { "--rename \(dropped.name)=\($0.name)" }
        }
        for table in desired.objects(.table) {
            guard let new = table.definition, let old = work[.table, table.key]?.definition, tablePlans[table.key] != .unchanged else { continue }
            let gone = old.columns.filter { new.column($0.key) == nil }
            let added = new.columns.filter { old.column($0.key) == nil }
            for column in gone {
                let currentTable = current[.table, originalKey[table.key] ?? table.key]?.name ?? table.name
                hints += added.map { "--rename \(currentTable).\(column.name)=\($0.name)" }
            }
        }
        return hints
    }
}

extension TableDefinition.Column {
    /// For a new `NOT NULL` column without a default, the value the rebuild's copy gives
    /// the rows already there (else the copy fails on the first row): the zero of its type
    /// affinity. `nil` for any other column (its default, or NULL, applies).
    var fillerForExistingRows: String? {
        guard hasNotNull, !tokens.contains(where: { $0.isKeyword("default") }), !isGenerated else { return nil }
        let type = tokens.dropFirst().prefix { $0.kind == .word && !["not", "null", "primary", "unique", "check", "references", "collate", "constraint", "default", "generated", "as"].contains(SQLToken.lowercased($0.text)) }
            .map { SQLToken.lowercased($0.text) }.joined(separator: " ")
        // SQLite's affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity).
        if type.contains("int") { return "0" }
        if type.contains("char") || type.contains("clob") || type.contains("text") { return "''" }
        if type.contains("blob") || type.isEmpty { return "x''" }
        return "0"
    }

    /// Whether the column is generated (`… AS (expr)`): it is computed, not copied.
    var isGenerated: Bool {
        zip(tokens, tokens.dropFirst()).contains { $0.isKeyword("as") && $1.text == "(" }
    }
}
