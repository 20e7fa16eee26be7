/// Alembic's `HeadMaintainer`: how each step changes the `alembic_version` rows (insert a
/// new branch, update along a line, merge, unmerge, delete a branch), including the steps
/// its bookkeeping refuses (a row to update or delete that is not there, a row to insert
/// that already is). Run over a whole plan before anything is applied, so sluice
/// refuses up front what Alembic would fail on part way.
struct VersionRowKeeper {
    let map: AlembicRevisionMap
    /// The rows, as revision ids.
    private(set) var rows: Set<String>

    init(map: AlembicRevisionMap, rows: [String]) {
        self.map = map
        self.rows = Set(rows)
    }

    /// The rows, sorted.
    var sortedRows: [String] { rows.sorted() }

    // MARK: Revision steps

    /// Records running `node` up or down (Alembic's `update_to_step` for a
    /// `RevisionStep`).
    mutating func run(_ node: Int, upgrade: Bool) throws(AlembicRefusal) {
        let revision = map.nodes[node]
        let me = revision.id
        let down = revision.normalizedDown.map(map.id)
        if !upgrade, rows.contains(me), down.isEmpty || unmergeTargets(node).isEmpty {
            try delete(me)
        } else if upgrade, down.isEmpty || rows.isDisjoint(with: down) {
            try insert(me)
        } else if upgrade, down.count > 1, rows.intersection(down).count > 1 {
            let others = rows.subtracting(down)
            var from = down
            if !others.isEmpty {
                let below = Set(map.ancestors(of: others.compactMap { map.lookup[$0] }, includeDependencies: true).map(map.id))
                from = down.filter { !below.contains($0) }
            }
            guard let last = from.last else { throw .internalError("IndexError: no parent of \(me) to merge from") }
            for row in from.dropLast() { try delete(row) }
            try update(last, to: me)
        } else if !upgrade, rows.contains(me), down.count > 1 {
            let targets = unmergeTargets(node)
            for row in targets.dropLast() { try insert(row) }
            try update(me, to: targets.last!)
        } else {
            let other: String
            if down.count == 1 {
                other = down[0]
            } else {
                let present = down.filter(rows.contains)
                guard present.count == 1 else {
                    throw .internalError("AssertionError: Can't do an UPDATE because downrevision is ambiguous")
                }
                other = present[0]
            }
            if upgrade { try update(other, to: me) } else { try update(me, to: other) }
        }
    }

    /// Alembic's `_unmerge_to_revisions`: the parents that come back as rows when a
    /// merge (or a revision with dependencies) is unapplied.
    private func unmergeTargets(_ node: Int) -> [String] {
        let revision = map.nodes[node]
        let down = revision.normalizedDown
        let others = rows.subtracting([revision.id]).compactMap { map.lookup[$0] }
        if !others.isEmpty {
            let below = Set(map.ancestors(of: others))
            return down.filter { !below.contains($0) }.map(map.id)
        }
        var below = Set<Int>()
        for target in down {
            below.formUnion(map.ancestors(of: [target]).filter { $0 != target })
        }
        return down.filter { !below.contains($0) }.map(map.id)
    }

    // MARK: Stamp steps

    /// Records a stamp step (Alembic's `update_to_step` for a `StampStep`).
    mutating func stamp(_ step: StampStep) throws(AlembicRefusal) {
        if !step.isUpgrade && step.branchMove {
            guard step.from.count == 1 else { throw .internalError("AssertionError: stamp delete") }
            try delete(step.from[0])
        } else if step.isUpgrade, step.branchMove || !Set(step.from).isSubset(of: rows), !Set(step.to).isSubset(of: rows) {
            guard step.to.count == 1 else { throw .internalError("AssertionError: stamp insert") }
            try insert(step.to[0])
        } else if step.from.count > 1 {
            for row in step.from.dropLast() { try delete(row) }
            try update(step.from.last!, to: step.to[0])
        } else {
            guard step.from.count == 1, step.to.count == 1 else {
                throw .internalError("AssertionError: a stamp from \(step.from) to \(step.to) is not one update")
            }
            try update(step.from[0], to: step.to[0])
        }
    }

    // MARK: Row changes

    private mutating func insert(_ id: String) throws(AlembicRefusal) {
        guard rows.insert(id).inserted else {
            throw .internalError("AssertionError: \(id) is already in the version table")
        }
    }

    private mutating func delete(_ id: String) throws(AlembicRefusal) {
        guard rows.remove(id) != nil else {
            throw .internalError("KeyError: '\(id)' is not in the version table")
        }
    }

    private mutating func update(_ from: String, to: String) throws(AlembicRefusal) {
        guard !rows.contains(to) else {
            throw .internalError("AssertionError: \(to) is already in the version table")
        }
        guard rows.remove(from) != nil else {
            throw .internalError("KeyError: '\(from)' is not in the version table")
        }
        rows.insert(to)
    }
}

/// One of Alembic's `StampStep`s: replace `from` rows by `to`.
struct StampStep: Equatable {
    let from: [String]
    let to: [String]
    let isUpgrade: Bool
    let branchMove: Bool
}
