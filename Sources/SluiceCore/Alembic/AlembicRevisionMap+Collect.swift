extension AlembicRevisionMap {
    /// Alembic's `_collect_upgrade_revisions` (implicit base) then its topological
    /// order, reversed: the revisions `upgrade target` runs, in the order it runs them.
    func upgradeOrder(target: String, current: [String]) throws(AlembicRefusal) -> [Int] {
        var targets: [Int] = []
        for point in try upgradeTargets(target, current: current) {
            guard case .revision(let node) = point else {
                throw .internalError("AssertionError: the target `\(target)` leads to no revision")
            }
            targets.append(node)
        }
        var required = Set(try checkedAncestors(of: targets))
        required.formUnion(targets)
        var rows: [Int] = []
        for point in try revisions(current) {
            guard case .revision(let node) = point else { continue }
            rows.append(node)
        }
        var applied = Set(try checkedAncestors(of: rows))
        applied.formUnion(rows)
        let needs = required.subtracting(applied)
        return topologicalSort(needs, heads: targets).reversed()
    }

    /// Alembic's `_collect_downgrade_revisions` then its topological order: the applied
    /// revisions above the target, in the order `downgrade target` unapplies them.
    func downgradeOrder(target: String, current: [String]) throws(AlembicRefusal) -> [Int] {
        let (label, point) = try downgradeTarget(target, current: current)
        // The symbolic `base` a walk reaches means base, as nil does.
        let destination = point.node
        var roots: [Int]
        if let destination {
            roots = nodes[destination].nextrev.sorted()
        } else {
            roots = nodes.indices.filter { nodes[$0].versionedDown.isEmpty }
        }
        if let label, roots.count > 1 {
            let line = Set(ancestors(of: [try resolveBranch(label)], includeDependencies: false))
            roots = roots.filter(line.contains)
            if roots.isEmpty { throw .revision("Not a valid downgrade target from current heads") }
        }
        let rows = try revisions(current).compactMap(\.node)
        var remove = Set(descendants(of: roots))
        remove.formIntersection(ancestors(of: rows))
        if let destination, remove.isEmpty, !rows.contains(destination) {
            throw .rangeNotAncestor
        }
        return topologicalSort(remove, heads: rows)
    }
}
