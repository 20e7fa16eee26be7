extension AlembicRevisionMap {
    /// Alembic's `_resolve_revision_number`: splits `label@` off and expands the
    /// symbols `heads` (the real heads, or the heads sharing the label's lineage), `head`
    /// and `base`. Returns the ids (still unresolved names) and the label.
    func resolveNumber(_ text: String?) throws(AlembicRefusal) -> (ids: [String], label: String?) {
        guard var name = text else { return ([], nil) }
        var label: String?
        if let at = name.firstIndex(of: "@") {
            label = String(name[..<at])
            name = String(name[name.index(after: at)...])
        }
        switch name {
        case "heads":
            if let label { return (try filterForLineage(heads, label).map(id), label) }
            return (realHeads.map(id), label)
        case "head":
            return (try currentHead(label: label).map { [id($0)] } ?? [], label)
        case "base":
            return ([], label)
        default:
            return ([name], label)
        }
    }

    /// Alembic's `get_current_head`: the single head (on the label's lineage), nil when
    /// there is none.
    func currentHead(label: String?) throws(AlembicRefusal) -> Int? {
        var candidates = heads
        if let label { candidates = try filterForLineage(candidates, label) }
        if candidates.count > 1 {
            throw .multipleHeads(candidates.map(id), argument: label.map { "\($0)@head" } ?? "head")
        }
        return candidates.first
    }

    /// Alembic's `get_revisions` for one name: `-N` walks down from every real head (on
    /// the label's branch); anything else resolves name by name.
    func revisions(_ text: String?) throws(AlembicRefusal) -> [WalkPoint] {
        let (ids, label) = try resolveNumber(text)
        if ids.count == 1, let steps = Self.pythonInteger(ids[0]), steps < 0 {
            var selected = try revisions("heads").compactMap { point -> Int? in
                if case .revision(let node) = point { return node }
                return nil
            }
            if let label { selected = selected.filter { nodes[$0].branchLabels.contains(label) } }
            return try selected.map { node throws(AlembicRefusal) in try walk(from: .revision(node), steps: steps) ?? .noRevision }
        }
        return try ids.map { name throws(AlembicRefusal) in try revision(forIdent: name, branch: label) }
    }

    /// `get_revisions` over several names, concatenated.
    func revisions(_ texts: [String]) throws(AlembicRefusal) -> [WalkPoint] {
        var result: [WalkPoint] = []
        for text in texts { result += try revisions(text) }
        return result
    }

    /// Alembic's `get_revision`: one revision or nil (`base`).
    /// - Throws: `.multipleHeads` when the name stands for several.
    func revision(_ text: String?) throws(AlembicRefusal) -> Int? {
        let (ids, label) = try resolveNumber(text)
        if ids.count > 1 { throw .multipleHeads(ids, argument: text ?? "") }
        guard let first = ids.first else { return nil }
        if case .revision(let node) = try revision(forIdent: first, branch: label) { return node }
        return nil
    }

    /// Alembic's `_resolve_branch`: a label or id, else a unique prefix.
    func resolveBranch(_ label: String) throws(AlembicRefusal) -> Int {
        if let node = lookup[label] { return node }
        do {
            if case .revision(let node) = try revision(forIdent: label, branch: nil) { return node }
        } catch .resolution {
            throw .resolution("No such branch: '\(label)'", argument: label)
        }
        throw .resolution("No such branch: '\(label)'", argument: label)
    }

    /// Alembic's `_revision_for_ident`: an exact id or label, else a prefix of more than
    /// three characters matching exactly one id or label (on the branch, when given).
    func revision(forIdent name: String, branch: String?) throws(AlembicRefusal) -> WalkPoint {
        let branchNode = try branch.map { label throws(AlembicRefusal) in try resolveBranch(label) }
        var found = lookup[name]
        if found == nil {
            var keys = nodes.map(\.id).filter { $0.count > 3 && $0.hasPrefix(name) }
            keys += labelKeys.filter { $0.count > 3 && $0.hasPrefix(name) }
            if let branch, branchNode != nil {
                var onBranch: [String] = []
                for key in keys where try sharesLineage(lookup[key]!, with: [branch]) { onBranch.append(key) }
                keys = onBranch
            }
            if keys.isEmpty {
                let hint = name.count < 4 ? "; please ensure at least four characters are present for partial revision identifier matches" : ""
                throw .resolution("No such revision or branch '\(name)'\(hint)", argument: name)
            }
            if keys.count > 1 {
                throw .resolution("Multiple revisions start with '\(name)': \(keys.prefix(3).map { "'\($0)'" }.joined(separator: ", "))...", argument: name)
            }
            found = lookup[keys[0]]
        }
        let node = found!
        if let branch, let branchNode, !(try sharesLineage(node, with: [id(branchNode)])) {
            throw .resolution("Revision \(id(node)) is not a member of branch '\(branch)'", argument: name)
        }
        return .revision(node)
    }

    /// The branch labels, in the order Alembic adds them to its map (after the ids).
    var labelKeys: [String] {
        lookup.keys.filter { key in nodes[lookup[key]!].id != key }.sorted { (lookup[$0]!, $0) < (lookup[$1]!, $1) }
    }

    /// Alembic's `filter_for_lineage`: the targets that share a line of descent with
    /// `name` (its label and its revisions).
    func filterForLineage(_ targets: [Int], _ name: String, includeDependencies: Bool = false) throws(AlembicRefusal) -> [Int] {
        let (ids, label) = try resolveNumber(name)
        var shares: [String] = []
        if let label { shares.append(label) }
        shares += ids
        var result: [Int] = []
        for target in targets where try sharesLineage(target, with: shares, includeDependencies: includeDependencies) {
            result.append(target)
        }
        return result
    }

    /// Alembic's `_shares_lineage`: whether any of `names` is an ancestor or descendant
    /// of `target` (or the target itself).
    func sharesLineage(_ target: Int, with names: [String], includeDependencies: Bool = false) throws(AlembicRefusal) -> Bool {
        guard !names.isEmpty else { return true }
        var others = Set<Int>()
        for name in names {
            if case .revision(let node) = try revision(forIdent: name, branch: nil) { others.insert(node) }
        }
        let line = Set(descendants(of: [target], includeDependencies: includeDependencies))
            .union(ancestors(of: [target], includeDependencies: includeDependencies))
        return !line.isDisjoint(with: others)
    }

    /// Python's `int()` on a target word: an optional sign and decimal digits.
    static func pythonInteger(_ text: String) -> Int? {
        var body = Substring(text.trimmingSpaces)
        var sign = 1
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(body) else { return nil }
        return sign * value
    }
}
