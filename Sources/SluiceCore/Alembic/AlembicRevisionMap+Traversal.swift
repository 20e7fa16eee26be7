extension AlembicRevisionMap {
    /// The targets and everything below them (Alembic's `_get_ancestor_nodes`): through
    /// parents and normalized dependencies, or through parents alone.
    func ancestors(of targets: [Int], includeDependencies: Bool = true) -> [Int] {
        (try? related(targets, check: false) { includeDependencies ? nodes[$0].normalizedDown : nodes[$0].versionedDown }) ?? []
    }

    /// `ancestors(of:)` through dependencies too, refusing targets that lie below one
    /// another as Alembic's `check=True` does ("Requested revision X overlaps with other
    /// requested revisions Y").
    func checkedAncestors(of targets: [Int]) throws(AlembicRefusal) -> [Int] {
        try related(targets, check: true) { nodes[$0].normalizedDown }
    }

    /// The targets and everything above them (Alembic's `_get_descendant_nodes`).
    func descendants(of targets: [Int], includeDependencies: Bool = true) -> [Int] {
        (try? related(targets, check: false) { includeDependencies ? nodes[$0].allNextrev.sorted() : nodes[$0].nextrev.sorted() }) ?? []
    }

    /// Alembic's `_iterate_related_revisions`: a depth-first walk from each target in
    /// turn, each node once, in the order visited.
    private func related(_ targets: [Int], check: Bool, next: (Int) -> [Int]) throws(AlembicRefusal) -> [Int] {
        var seen = Set<Int>()
        var order: [Int] = []
        let targetSet = Set(targets)
        for target in targets {
            var todo = [target]
            var perTarget = Set<Int>()
            while let node = todo.popLast() {
                if check { perTarget.insert(node) }
                guard seen.insert(node).inserted else { continue }
                todo.append(contentsOf: next(node))
                order.append(node)
            }
            if check {
                let overlaps = perTarget.intersection(targetSet).subtracting([target])
                if !overlaps.isEmpty {
                    throw .revision("Requested revision \(id(target)) overlaps with other requested revisions \(overlaps.sorted().map(id).joined(separator: ", "))")
                }
            }
        }
        return order
    }

    /// Alembic's `_topological_sort`: the revisions ordered so that each comes after
    /// what it needs, walking down from `heads` in file order. Upgrades run it reversed.
    func topologicalSort(_ revisions: Set<Int>, heads: [Int]) -> [Int] {
        var todo = revisions
        var current = Array(Set(heads.filter { todo.contains($0) })).sorted()
        var ancestorsByIndex = current.map { Set(ancestors(of: [$0])) }
        var output: [Int] = []
        var candidateIndex = 0
        while !current.isEmpty {
            let candidate = current[candidateIndex]
            if let other = ancestorsByIndex.indices.first(where: { $0 != candidateIndex && ancestorsByIndex[$0].contains(candidate) }) {
                candidateIndex = other
                continue
            }
            if todo.remove(candidate) != nil { output.append(candidate) }
            let node = nodes[candidate]
            let toAdd = node.normalizedDown.filter { todo.contains($0) && !current.contains($0) }
            if toAdd.isEmpty {
                current.remove(at: candidateIndex)
                ancestorsByIndex.remove(at: candidateIndex)
                candidateIndex = max(candidateIndex - 1, 0)
            } else if node.normalizedDependencies.isEmpty && node.versionedDown.count == 1 {
                current[candidateIndex] = toAdd[0]
                ancestorsByIndex[candidateIndex].remove(candidate)
            } else {
                current[candidateIndex] = toAdd[0]
                current.append(contentsOf: toAdd.dropFirst())
                ancestorsByIndex[candidateIndex] = Set(ancestors(of: [toAdd[0]]))
                ancestorsByIndex.append(contentsOf: toAdd.dropFirst().map { Set(ancestors(of: [$0])) })
            }
        }
        return output
    }

    /// Alembic's `_walk`: `steps` up (children) or down (parents) from `start`
    /// (`.base` below every base). Returns nil when the walk goes past the end.
    /// - Throws: "Ambiguous walk" where the way up or down forks.
    func walk(from start: WalkPoint, steps: Int, branchLabel: String? = nil) throws(AlembicRefusal) -> WalkPoint? {
        var point = start
        for _ in 0..<abs(steps) {
            var next: [WalkPoint]
            if steps > 0 {
                let up: [Int]
                switch point {
                case .base: throw .internalError("AssertionError: a walk up from `base`")
                case .noRevision: up = bases
                case .revision(let node): up = nodes[node].nextrev.sorted()
                }
                next = try branchLabel.map { label throws(AlembicRefusal) in try filterForLineage(up, label) } .map { $0.map(WalkPoint.revision) } ?? up.map(WalkPoint.revision)
            } else {
                switch point {
                case .base:
                    next = []
                case .noRevision:
                    next = heads.map(WalkPoint.revision)
                    if next.isEmpty { next = [.base] }
                case .revision(let node):
                    next = nodes[node].versionedDown.map(WalkPoint.revision)
                    if next.isEmpty { next = [.base] }
                }
            }
            if next.isEmpty { return nil }
            if next.count > 1 { throw .revision(ambiguousWalk(at: point, into: next, up: steps > 0)) }
            point = next[0]
        }
        return point
    }
}

extension AlembicRevisionMap {
    /// Alembic's "Ambiguous walk", with where it forks and what to type instead.
    private func ambiguousWalk(at point: WalkPoint, into next: [WalkPoint], up: Bool) -> String {
        let names = next.map { $0.node.map(id) ?? "base" }.joined(separator: ", ")
        let here = point.node.map(id) ?? "base"
        if up {
            return "Ambiguous walk: \(here) branches into \(names); name the branch with `<revision>+N` or `<label>@+N`"
        }
        if case .noRevision = point {
            return "Ambiguous walk: there are several heads (\(names)); name the revision to go down to"
        }
        return "Ambiguous walk: \(here) is a merge of \(names), so there is no single way down; name the revision to go down to (`sluice downgrade \(next[0].node.map(id) ?? "base")` unapplies only the merge)"
    }
}

/// Where a walk stands: before any revision (Alembic's `None`), at the symbolic
/// `"base"` a walk down past a base reaches, or at a revision.
enum WalkPoint: Equatable, Sendable {
    case noRevision
    case base
    case revision(Int)
}
