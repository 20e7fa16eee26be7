extension AlembicRevisionMap {
    /// Alembic's `_stamp_revs`: for each target, the current rows in its lineage
    /// (ancestors or descendants, dependencies included) are replaced by it; rows on
    /// unrelated lines stay; `base` removes the rows in the lineage of the targets.
    func stampSteps(targets: [String], current: [String]) throws(AlembicRefusal) -> [StampStep] {
        let rows = try revisions(current).compactMap(\.node)
        let targets = targets.isEmpty ? ["base"] : targets
        var lineage: [Int] = []
        for target in targets where !target.isEmpty {
            for row in try filterForLineage(rows, target, includeDependencies: true) where !lineage.contains(row) {
                lineage.append(row)
            }
        }
        var destinations = try revisions(targets)
        if destinations.isEmpty { destinations = [.noRevision] }
        var steps: [StampStep] = []
        for destination in destinations {
            switch destination {
            case .noRevision:
                steps += lineage.map { StampStep(from: [id($0)], to: [], isUpgrade: false, branchMove: true) }
            case .base:
                throw .internalError("AssertionError: stamp to the symbolic base a walk reached")
            case .revision(let node):
                if lineage.contains(node) { continue }
                let above = Set(descendants(of: [node]))
                let below = Set(ancestors(of: [node]))
                if !above.isDisjoint(with: lineage) {
                    guard below.isDisjoint(with: lineage) else {
                        throw .internalError("AssertionError: rows both above and below \(id(node))")
                    }
                    steps.append(StampStep(from: lineage.map(id), to: [id(node)], isUpgrade: false, branchMove: false))
                } else if !below.isDisjoint(with: lineage) {
                    steps.append(StampStep(from: lineage.map(id), to: [id(node)], isUpgrade: true, branchMove: false))
                } else {
                    steps.append(StampStep(from: [], to: [id(node)], isUpgrade: true, branchMove: true))
                }
            }
        }
        return steps
    }
}
