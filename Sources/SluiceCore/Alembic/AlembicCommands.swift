/// A command Alembic would refuse on this graph and these rows, worded as Alembic's
/// command line words it, with sluice's advice where it has some.
public struct AlembicCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// The revisions without a downgrade a downgrade would have to pass through (empty
    /// for every other refusal): `reset` drops everything instead.
    public var irreversible: [Revision] = []
}

/// `upgrade`, `downgrade` and `stamp` with Alembic 1.20's answers: the same revisions run
/// in the same order, the same `alembic_version` rows after each step, and a refusal
/// wherever Alembic refuses (up front, including where Alembic would fail part way).
public struct AlembicCommands: Sendable {
    let graph: RevisionGraph
    let map: AlembicRevisionMap

    /// Builds the commands for a graph.
    public init(_ graph: RevisionGraph) {
        self.graph = graph
        self.map = AlembicRevisionMap(graph)
    }

    /// The steps of `upgrade target` from `current` rows.
    public func upgradePlan(current: [String], target: String) throws(AlembicCommandError) -> MigrationPlan {
        try plan(current: current, direction: .upgrade, target: target) { () throws(AlembicRefusal) in
            try map.upgradeOrder(target: target, current: current)
        }
    }

    /// The steps of `downgrade target` from `current` rows.
    /// - Throws: also when a revision on the way has no downgrade.
    public func downgradePlan(current: [String], target: String) throws(AlembicCommandError) -> MigrationPlan {
        try plan(current: current, direction: .downgrade, target: target) { () throws(AlembicRefusal) in
            try map.downgradeOrder(target: target, current: current)
        }
    }

    /// The rows `stamp targets…` leaves (with `--purge`, starting from no rows).
    public func stampRows(current: [String], targets: [String], purge: Bool) throws(AlembicCommandError) -> [String] {
        let start = purge ? [] : current.sorted()
        try requireKnown(start)
        do {
            var keeper = VersionRowKeeper(map: map, rows: start)
            for step in try map.stampSteps(targets: targets, current: start) { try keeper.stamp(step) }
            return keeper.sortedRows
        } catch {
            throw Self.message(error, command: "stamp", target: targets.joined(separator: " "))
        }
    }

    private func plan(current: [String], direction: MigrationDirection, target: String, order: () throws(AlembicRefusal) -> [Int]) throws(AlembicCommandError) -> MigrationPlan {
        // In the table's own order, as Alembic reads them: `downgrade -1` from several
        // rows starts from the first.
        let rows = current
        try requireKnown(rows)
        do {
            let nodes = try order()
            var keeper = VersionRowKeeper(map: map, rows: rows)
            var steps: [MigrationStep] = []
            steps.reserveCapacity(nodes.count)
            for node in nodes {
                let before = keeper.sortedRows
                try keeper.run(node, upgrade: direction == .upgrade)
                steps.append(MigrationStep(revision: graph.revisions[map.id(node)]!, direction: direction, headsBefore: before, headsAfter: keeper.sortedRows))
            }
            if direction == .downgrade {
                let irreversible = steps.map(\.revision).filter { !$0.isReversible }
                if !irreversible.isEmpty {
                    throw AlembicCommandError(description: PlanError.irreversible(irreversible).description, irreversible: irreversible)
                }
            }
            return MigrationPlan(steps: steps, headsBefore: rows.sorted())
        } catch let error as AlembicRefusal {
            throw Self.message(error, command: direction.rawValue, target: target)
        } catch let error as AlembicCommandError {
            throw error
        } catch {
            throw AlembicCommandError(description: "\(error)")
        }
    }

    /// Refuses rows that name no revision with sluice's advice (restore the file, or
    /// `stamp --purge`), where Alembic would only say it cannot locate them.
    private func requireKnown(_ rows: [String]) throws(AlembicCommandError) {
        do { _ = try graph.appliedSet(current: rows) } catch { throw AlembicCommandError(description: error.description) }
    }

    /// Alembic's `_catch_revision_errors` wording, with sluice's advice.
    static func message(_ refusal: AlembicRefusal, command: String, target: String) -> AlembicCommandError {
        let text: String
        switch refusal {
        case .resolution(let detail, let argument):
            text = "Can't locate revision identified by '\(argument)' (\(detail)); `sluice history` lists the revisions and labels"
        case .multipleHeads(let heads, let argument):
            if command == "stamp" {
                text = "Multiple heads are present; please specify a single target revision (the heads: \(heads.joined(separator: ", ")))"
            } else {
                text = "Multiple head revisions are present for given argument '\(argument)'; please specify a specific target revision, '<branchname>@\(argument)' to narrow to a specific head, or 'heads' for all heads (the heads: \(heads.joined(separator: ", ")); `sluice merge -m MESSAGE heads` joins them)"
            }
        case .rangeNotAncestor:
            text = "Destination \(target) is not a valid \(command) target from current head(s); `sluice current` shows the rows, `sluice history -i` where they stand"
        case .revision(let message):
            text = message
        case .internalError(let detail):
            text = "Alembic's bookkeeping cannot \(command) to \(target) from these rows on this graph (Alembic fails part way, \(detail)); nothing was changed"
        }
        return AlembicCommandError(description: text)
    }
}
