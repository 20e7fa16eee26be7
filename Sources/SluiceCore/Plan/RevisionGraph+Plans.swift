extension RevisionGraph {
    /// The applied set that `alembic_version` rows stand for: the rows and their
    /// ancestors.
    /// - Throws: `PlanError.unknownCurrent` when a row names no known revision.
    public func appliedSet(current: [String]) throws(PlanError) -> Set<String> {
        let unknown = current.filter { revisions[$0] == nil }
        guard unknown.isEmpty else { throw .unknownCurrent(unknown) }
        return ancestors(of: current)
    }

    /// The steps that apply `targets` and everything they need, in graph order; an
    /// already-applied target contributes nothing.
    public func upgradePlan(current: [String], to targets: [String]) throws(PlanError) -> MigrationPlan {
        var applied = try appliedSet(current: current)
        let needed = sorted(ancestors(of: targets).subtracting(applied))
        var heads = versionHeads(of: applied)
        let before = heads
        var steps: [MigrationStep] = []
        steps.reserveCapacity(needed.count)
        for id in needed {
            applied.insert(id)
            let after = stepHeads(before: heads, adding: id)
            steps.append(MigrationStep(revision: revisions[id]!, direction: .upgrade, headsBefore: heads, headsAfter: after))
            heads = after
        }
        return MigrationPlan(steps: steps, headsBefore: before)
    }

    /// The steps that unapply everything above `targets` (Alembic: the applied
    /// descendants of the target, not the target itself, and not unrelated branches);
    /// an empty `targets` means `base`.
    /// - Throws: `PlanError.notApplied` for a target that is not applied, and
    ///   `.irreversible` naming every revision without a downgrade on the way.
    public func downgradePlan(current: [String], to targets: [String]) throws(PlanError) -> MigrationPlan {
        var applied = try appliedSet(current: current)
        if let missing = targets.first(where: { !applied.contains($0) }) { throw .notApplied(missing) }
        let remove: Set<String>
        if targets.isEmpty {
            remove = applied
        } else {
            remove = descendants(of: targets).subtracting(targets).intersection(applied)
        }
        let ordered = sorted(remove).reversed()
        let irreversible = ordered.compactMap { revisions[$0] }.filter { !$0.isReversible }
        guard irreversible.isEmpty else { throw .irreversible(irreversible) }
        var heads = versionHeads(of: applied)
        let before = heads
        var steps: [MigrationStep] = []
        for id in ordered {
            applied.remove(id)
            let after = stepHeads(before: heads, removing: id, applied: applied)
            steps.append(MigrationStep(revision: revisions[id]!, direction: .downgrade, headsBefore: heads, headsAfter: after))
            heads = after
        }
        return MigrationPlan(steps: steps, headsBefore: before)
    }

    /// The single step that applies `id` on top of rows `heads`, whose prerequisites are
    /// all applied already: what a rehearsal walking the graph in order needs, in time
    /// proportional to the rows rather than to the whole history.
    public func step(upgrading id: String, from heads: [String]) -> MigrationStep {
        MigrationStep(revision: revisions[id]!, direction: .upgrade, headsBefore: heads, headsAfter: stepHeads(before: heads, adding: id))
    }

    /// The rows after applying `id` on top of rows `before`: its prerequisites leave,
    /// it enters. Equal to `versionHeads(of:)` of the grown applied set, without
    /// recomputing it, so that long plans stay linear.
    private func stepHeads(before: [String], adding id: String) -> [String] {
        let prerequisites = Set(revisions[id]!.prerequisites)
        var after = before.filter { !prerequisites.contains($0) }
        after.append(id)
        return sorted(after)
    }

    /// The rows after unapplying `id`: it leaves, and each of its prerequisites that no
    /// remaining applied revision needs comes back (Alembic's unmerge).
    private func stepHeads(before: [String], removing id: String, applied: Set<String>) -> [String] {
        var after = before.filter { $0 != id }
        for prerequisite in revisions[id]!.prerequisites where applied.contains(prerequisite) && !after.contains(prerequisite) {
            let needers = (children[prerequisite] ?? []) + (dependents[prerequisite] ?? [])
            if !needers.contains(where: { applied.contains($0) }) { after.append(prerequisite) }
        }
        return sorted(after)
    }
}
