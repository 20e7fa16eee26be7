import SluiceTestSupport

/// The changes a developer makes to a schema, at random, each leaving a schema SQLite
/// accepts and rows that still satisfy it (dependents of what goes go too).
extension RandomSchema {
    /// Applies random changes: 1–3 most of the time, as a revision does, and in one case
    /// out of four 4–12, as a schema that drifted for a while.
    mutating func mutate(using random: inout SeededRandom) {
        let changes = Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 4...12, using: &random) : Int.random(in: 1...3, using: &random)
        for _ in 0..<changes {
            var tries = 0
            while tries < 10 && !mutateOnce(using: &random) { tries += 1 }
        }
        settle()
    }

    /// One random change; `false` when the schema offered nothing for the one picked.
    private mutating func mutateOnce(using random: inout SeededRandom) -> Bool {
        switch Int.random(in: 0..<19, using: &random) {
        case 0: addTable(using: &random); return true
        case 1: return dropTable(using: &random)
        case 2, 3: return addColumn(using: &random)
        case 4: return dropColumn(using: &random)
        case 5: return changeColumn(using: &random) { column, random in
            guard column.references == nil else { return false }
            let others = Self.types.filter { $0 != column.type }
            column.type = others.randomElement(using: &random)!
            if column.defaultValue != nil { column.defaultValue = Self.defaultValue(for: column.type, using: &random) }
            return true
        }
        case 6: return changeColumn(using: &random) { column, _ in
            guard !column.isNew else { return false }
            column.notNull.toggle()
            return true
        }
        case 7: return changeColumn(using: &random) { column, random in
            guard !column.unique, column.references == nil else { return false }
            column.defaultValue = column.defaultValue == nil || Bool.random(using: &random) ? Self.defaultValue(for: column.type, using: &random) : nil
            if column.notNull && column.defaultValue == nil && column.isNew { column.defaultValue = Self.defaultValue(for: column.type, using: &random) }
            return true
        }
        case 8: return changeColumn(using: &random) { column, _ in
            guard !column.isNew else { return false }
            column.unique.toggle()
            return true
        }
        case 9: return changeColumn(using: &random) { column, _ in
            column.check.toggle()
            return true
        }
        case 10:
            guard !tables.isEmpty else { return false }
            let t = Int.random(in: 0..<tables.count, using: &random)
            tables[t].tableCheck.toggle()
            return true
        case 11: return addIndex(using: &random)
        case 12:
            guard !indexes.isEmpty else { return false }
            indexes.remove(at: Int.random(in: 0..<indexes.count, using: &random))
            return true
        case 13:
            guard !indexes.isEmpty else { return false }
            let i = Int.random(in: 0..<indexes.count, using: &random)
            indexes[i].shape = IndexShape.allCases.filter { $0 != indexes[i].shape }.randomElement(using: &random)!
            return true
        case 14:
            if Bool.random(using: &random) { return addView(using: &random) }
            guard let view = views.randomElement(using: &random) else { return false }
            removeView(view.id)
            return true
        case 15:
            guard !views.isEmpty else { return false }
            let v = Int.random(in: 0..<views.count, using: &random)
            guard views[v].onView == nil else { return false }
            views[v].variant = (views[v].variant + 1) % 3
            return true
        case 16:
            if Bool.random(using: &random) { return addTrigger(using: &random) }
            guard !triggers.isEmpty else { return false }
            triggers.remove(at: Int.random(in: 0..<triggers.count, using: &random))
            return true
        case 17:
            guard !tables.isEmpty else { return false }
            let t = Int.random(in: 0..<tables.count, using: &random)
            if Bool.random(using: &random) {
                tables[t].name += "_r\(freshName())"
            } else {
                let c = Int.random(in: 0..<tables[t].columns.count, using: &random)
                tables[t].columns[c].name += "_r\(freshName())"
            }
            return true
        default:
            guard let t = tables.indices.filter({ tables[$0].columns.count >= 3 }).randomElement(using: &random) else { return false }
            let count = tables[t].columns.count
            let a = Int.random(in: 1..<count, using: &random)
            let b = Int.random(in: 1..<count, using: &random)
            guard a != b else { return false }
            tables[t].columns.swapAt(a, b)
            return true
        }
    }

    /// A name suffix not used before.
    private mutating func freshName() -> Int { nextObjectID() }

    // MARK: Adding

    mutating func addTable(using random: inout SeededRandom) {
        let id = nextObjectID()
        var table = Table(id: id, name: "t\(id)", columns: [Column(id: nextObjectID(), name: "id", type: "INTEGER")])
        table.columns[0].name = "id\(table.columns[0].id)"
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            table.columns.append(randomColumn(newIn: nil, using: &random))
        }
        table.tableCheck = Int.random(in: 0..<4, using: &random) == 0
        tables.append(table)
    }

    /// A column: typed, and sometimes `NOT NULL` with a default, defaulted, unique,
    /// checked, or a foreign key to an earlier table.
    private mutating func randomColumn(newIn table: Int?, using random: inout SeededRandom) -> Column {
        let id = nextObjectID()
        var column = Column(id: id, name: "c\(id)", type: Self.types.randomElement(using: &random)!)
        column.isNew = table != nil
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            column.notNull = true
            column.defaultValue = Self.defaultValue(for: column.type, using: &random)
        case 1: column.defaultValue = Self.defaultValue(for: column.type, using: &random)
        case 2: column.unique = true
        case 3: column.check = true
        case 4:
            let parents = tables.filter { $0.id != table }
            if let parent = parents.randomElement(using: &random) {
                column.type = "INTEGER"
                column.references = parent.id
            }
        default: break
        }
        if table == nil, column.notNull == false, Int.random(in: 0..<5, using: &random) == 0 { column.notNull = true }
        return column
    }

    static func defaultValue(for type: String, using random: inout SeededRandom) -> String {
        if Int.random(in: 0..<4, using: &random) == 0 { return "(1 + 1)" }
        switch type {
        case "INTEGER": return ["0", "-1", "42"].randomElement(using: &random)!
        case "REAL": return "1.5"
        case "NUMERIC": return "7"
        case "BLOB": return "x'00'"
        default: return ["'x'", "''", "'it''s'"].randomElement(using: &random)!
        }
    }

    private mutating func addColumn(using random: inout SeededRandom) -> Bool {
        guard !tables.isEmpty else { return false }
        let t = Int.random(in: 0..<tables.count, using: &random)
        var column = randomColumn(newIn: tables[t].id, using: &random)
        // Rows already there get the default: a unique column gets none (NULLs are distinct).
        if column.unique { column.defaultValue = nil; column.notNull = false }
        if column.notNull && column.defaultValue == nil { column.defaultValue = Self.defaultValue(for: column.type, using: &random) }
        if column.references != nil { column.defaultValue = nil; column.notNull = false }
        tables[t].columns.append(column)
        return true
    }

    mutating func addIndex(using random: inout SeededRandom) -> Bool {
        guard let table = tables.randomElement(using: &random) else { return false }
        let column = table.columns.dropFirst().randomElement(using: &random) ?? table.columns[0]
        let id = nextObjectID()
        let shape = IndexShape.allCases.randomElement(using: &random)!
        let unique = !column.isNew && shape != .expression && Bool.random(using: &random)
        indexes.append(Index(name: "ix\(id)", table: table.id, column: column.id, unique: unique, shape: shape))
        return true
    }

    mutating func addView(using random: inout SeededRandom) -> Bool {
        let id = nextObjectID()
        if !views.isEmpty && Int.random(in: 0..<3, using: &random) == 0 {
            let base = views.randomElement(using: &random)!
            views.append(View(id: id, name: "v\(id)", table: base.table, column: base.column, onView: base.id, variant: 0))
            return true
        }
        guard let table = tables.randomElement(using: &random) else { return false }
        let column = table.columns.randomElement(using: &random)!
        views.append(View(id: id, name: "v\(id)", table: table.id, column: column.id, onView: nil, variant: Int.random(in: 0..<3, using: &random)))
        return true
    }

    mutating func addTrigger(using random: inout SeededRandom) -> Bool {
        guard let table = tables.randomElement(using: &random) else { return false }
        let column = table.columns.randomElement(using: &random)!
        triggers.append(Trigger(name: "tr\(nextObjectID())", table: table.id, column: column.id))
        return true
    }

    // MARK: Removing

    private mutating func dropTable(using random: inout SeededRandom) -> Bool {
        let referenced = Set(tables.flatMap { $0.columns.compactMap(\.references) })
        guard let table = tables.filter({ !referenced.contains($0.id) }).randomElement(using: &random) else { return false }
        tables.removeAll { $0.id == table.id }
        indexes.removeAll { $0.table == table.id }
        triggers.removeAll { $0.table == table.id }
        for view in views where view.table == table.id && view.onView == nil { removeView(view.id) }
        return true
    }

    private mutating func dropColumn(using random: inout SeededRandom) -> Bool {
        guard let t = tables.indices.filter({ tables[$0].columns.count >= 2 }).randomElement(using: &random) else { return false }
        let c = Int.random(in: 1..<tables[t].columns.count, using: &random)
        let column = tables[t].columns.remove(at: c)
        let table = tables[t].id
        indexes.removeAll { $0.table == table && $0.column == column.id }
        triggers.removeAll { $0.table == table && $0.column == column.id }
        for view in views where view.table == table && view.column == column.id && view.onView == nil { removeView(view.id) }
        return true
    }

    /// Removes a view and every view on it.
    private mutating func removeView(_ id: Int) {
        views.removeAll { $0.id == id }
        for view in views where view.onView == id { removeView(view.id) }
    }

    /// Changes one non-key column with `change`, which says whether it applied.
    private mutating func changeColumn(using random: inout SeededRandom, _ change: (inout Column, inout SeededRandom) -> Bool) -> Bool {
        guard let t = tables.indices.filter({ tables[$0].columns.count >= 2 }).randomElement(using: &random) else { return false }
        let c = Int.random(in: 1..<tables[t].columns.count, using: &random)
        var column = tables[t].columns[c]
        guard change(&column, &random) else { return false }
        // A unique column keeps unique values: no default it would copy into every row.
        if column.unique && column.isNew { column.defaultValue = nil; column.notNull = false }
        tables[t].columns[c] = column
        return true
    }
}
