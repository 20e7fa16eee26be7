extension RevisionGraph {
    /// Resolves a name to one revision id: an exact id, a branch label, or a unique id
    /// prefix, in that order.
    /// - Throws: `TargetError.unknown` or `.ambiguousPrefix`.
    public func resolveName(_ name: String) throws(TargetError) -> String {
        if revisions[name] != nil { return name }
        if let labelled = labels[name] { return labelled }
        let matches = order.filter { $0.hasPrefix(name) }
        switch matches.count {
        case 0: throw .unknown(name)
        case 1: return matches[0]
        default: throw .ambiguousPrefix(name, matches)
        }
    }

    /// Resolves a target to the revisions that should be the heads of the applied set
    /// afterwards; an empty result means `base`.
    /// - Parameter current: the database's `alembic_version` rows.
    /// - Throws: `TargetError` naming what is unknown or ambiguous and what to type instead.
    public func resolve(_ target: TargetExpression, current: [String]) throws(TargetError) -> [String] {
        switch target {
        case .heads:
            return heads
        case .head:
            return [try singleHead(asked: "head")]
        case .base:
            return []
        case .revision(let name):
            return [try resolveName(name)]
        case .branchHead(let name):
            let root = try resolveName(name)
            let reachable = descendantsThroughParents(of: root)
            let branchHeads = heads.filter { reachable.contains($0) }
            guard branchHeads.count == 1 else { throw .multipleHeads(branchHeads, asked: "\(name)@head") }
            return branchHeads
        case .relative(let steps):
            guard current.count <= 1 else { throw .multipleCurrent(current) }
            if steps > 0 { return [try walkUp(from: current.first, steps: steps)] }
            guard let start = current.first else {
                throw .walk("the database is at base; there is nothing to go down from")
            }
            return try walkDown(from: start, steps: -steps)
        case .headRelative(let steps):
            let head = try singleHead(asked: "head\(steps)")
            return try walkDown(from: head, steps: -steps)
        case .revisionRelative(let name, let steps):
            let start = try resolveName(name)
            if steps >= 0 { return [try walkUp(from: start, steps: steps)] }
            return try walkDown(from: start, steps: -steps)
        case .branchRelative(let name, let steps):
            let root = try resolveName(name)
            let branch = descendantsThroughParents(of: root)
            let onBranch = current.filter(branch.contains)
            guard onBranch.count <= 1 else { throw .multipleCurrent(onBranch) }
            if let start = onBranch.first {
                if steps > 0 { return [try walkUp(from: start, steps: steps)] }
                return try walkDown(from: start, steps: -steps)
            }
            // Nothing of the branch is applied yet: the first step up is its first revision.
            guard steps > 0 else {
                throw .walk("nothing of branch \(name) is applied, so there is nothing to go down from")
            }
            return [try walkUp(from: root, steps: steps - 1)]
        }
    }

    /// The only head, or an error naming all of them and suggesting `merge`.
    public func singleHead(asked: String = "head") throws(TargetError) -> String {
        let heads = heads
        guard heads.count == 1 else {
            if heads.isEmpty { throw .walk("there are no revisions in the versions directory yet; `sluice create -m MESSAGE` writes one") }
            throw .multipleHeads(heads, asked: asked)
        }
        return heads[0]
    }

    /// Moves `steps` children up from `start` (`nil`: from base).
    func walkUp(from start: String?, steps: Int) throws(TargetError) -> String {
        var node = start
        for step in 0..<steps {
            let next = node.map { children[$0] ?? [] } ?? bases
            switch next.count {
            case 1:
                node = next[0]
            case 0:
                let at = node ?? "base"
                throw .walk("+\(steps) goes past head \(at) after \(step) step(s); there is nothing above it")
            default:
                let at = node ?? "base"
                throw .walk("\(at) branches into \(next.joined(separator: ", ")), so +\(steps) is ambiguous; name the branch with `<revision>+N` or `label@head`")
            }
        }
        return node!
    }

    /// Moves `steps` parents down from `start`; an empty result is base (one step below
    /// a base revision). A merge has no single parent, so walking down through one is
    /// ambiguous, as in Alembic ("Ambiguous walk").
    func walkDown(from start: String, steps: Int) throws(TargetError) -> [String] {
        var node: String? = start
        for step in 0..<steps {
            guard let current = node else {
                throw .walk("-\(steps) goes below base after \(step) step(s) from \(start)")
            }
            let parents = revisions[current]?.parents ?? []
            switch parents.count {
            case 0: node = nil
            case 1: node = parents[0]
            default:
                throw .walk("ambiguous walk: \(current) is a merge of \(parents.joined(separator: ", ")), so -\(steps) has no single way down; name the revision to go down to (`sluice downgrade \(parents[0])` unapplies only the merge)")
            }
        }
        return node.map { [$0] } ?? []
    }

    private func descendantsThroughParents(of id: String) -> Set<String> {
        var result = Set<String>()
        var stack = [id]
        while let next = stack.popLast() {
            guard result.insert(next).inserted else { continue }
            stack.append(contentsOf: children[next] ?? [])
        }
        return result
    }
}
