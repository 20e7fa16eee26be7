extension RevisionGraph {
    /// `ids` and everything they need: parents and dependencies, transitively.
    public func ancestors(of ids: some Sequence<String>) -> Set<String> {
        closure(of: ids) { self.revisions[$0]?.prerequisites ?? [] }
    }

    /// `ids` and everything that needs them: children and dependents, transitively.
    public func descendants(of ids: some Sequence<String>) -> Set<String> {
        closure(of: ids) { (self.children[$0] ?? []) + (self.dependents[$0] ?? []) }
    }

    /// The rows Alembic keeps in `alembic_version` for an applied set: the applied
    /// revisions that no other applied revision lists as parent or dependency.
    ///
    /// This is the invariant behind Alembic's head bookkeeping (a linear step updates the
    /// row, a new branch inserts one, a merge deletes the other heads, an unmerge
    /// re-inserts them); computing it from the set gives the same rows in every case.
    public func versionHeads(of applied: Set<String>) -> [String] {
        var covered = Set<String>()
        for id in applied {
            for prerequisite in revisions[id]?.prerequisites ?? [] { covered.insert(prerequisite) }
        }
        return sorted(applied.subtracting(covered))
    }

    private func closure(of ids: some Sequence<String>, next: (String) -> [String]) -> Set<String> {
        var result = Set<String>()
        var stack = Array(ids)
        while let id = stack.popLast() {
            guard result.insert(id).inserted else { continue }
            stack.append(contentsOf: next(id))
        }
        return result
    }
}
