import SluiceCore

/// Rehearses a whole plan before it runs on the real database: what `upgrade`,
/// `downgrade`, `init` and `reset` do first, so that they refuse exactly what `check` and
/// the daemon reject (SPEC §4, §5). Upgrade steps get the daemon's rehearsal (upgrade,
/// downgrade with the schema compared, upgrade again, the destructive-change check);
/// downgrade steps run the downgrade on the copy's data, then the upgrade once more to
/// prove the downgrade undid it. The policy (transaction control, `PRAGMA foreign_keys`,
/// `ATTACH`) is enforced on every statement. Every problem is collected, not only the
/// first.
public struct PlanRehearsal {
    /// What the rehearsal found.
    public struct Report: Sendable {
        /// Every failure, in plan order.
        public var failures: [RehearsalFailure] = []
        /// Revisions not rehearsed because a revision they need failed: id → the failed one.
        public var blocked: [(revision: Revision, by: String)] = []
        /// How many steps passed.
        public var rehearsed = 0
        /// What the copy held.
        public var copy: Rehearsal.Copy = .empty
        /// Whether everything passed.
        public var passed: Bool { failures.isEmpty && blocked.isEmpty }
    }

    /// The graph the plans come from: after a failed upgrade step, the next ones are
    /// rehearsed from the copy's real rows, as `check` does.
    let graph: RevisionGraph
    /// The database to copy (`nil`: start from an empty one).
    let source: Connection?
    let versionTable: VersionTable
    let maxBytes: Int64
    let policy: RevisionPolicy
    /// How far the copy of the data may get in the application's way.
    public var copyLimits = CopyLimits()

    /// Creates a plan rehearsal on a copy of `source`.
    public init(graph: RevisionGraph, source: Connection?, versionTable: VersionTable, maxBytes: Int64, policy: RevisionPolicy) {
        self.graph = graph
        self.source = source
        self.versionTable = versionTable
        self.maxBytes = maxBytes
        self.policy = policy
    }

    /// Rehearses `plans` one after the other on one copy (a `reset` is a downgrade plan
    /// followed by an upgrade plan).
    /// - Throws: `SQLiteError` when the copy itself cannot be made.
    /// - Parameter progress: told `(revision, statement index, statements)` before each
    ///   statement the rehearsal runs, for a progress line.
    public func run(_ plans: [MigrationPlan], progress: ((String, Int, Int) -> Void)? = nil) throws(SQLiteError) -> Report {
        let rehearsal: Rehearsal
        if let source {
            rehearsal = try Rehearsal(copying: source, maxBytes: maxBytes, versionTable: versionTable, limits: copyLimits)
        } else {
            rehearsal = try Rehearsal(versionTable: versionTable)
        }
        rehearsal.policy = policy
        var report = Report()
        report.copy = rehearsal.copy
        for plan in plans {
            var failed: Set<String> = []
            var heads = plan.headsBefore
            for planned in plan.steps {
                let revision = planned.revision
                if planned.direction == .upgrade, let blocker = revision.prerequisites.first(where: failed.contains) {
                    failed.insert(revision.id)
                    report.blocked.append((revision, blocker))
                    continue
                }
                let step = planned.direction == .upgrade ? graph.step(upgrading: revision.id, from: heads) : planned
                if let progress { rehearsal.willRunStatement = { progress(revision.id, $0, $1) } }
                do {
                    switch step.direction {
                    case .upgrade: try rehearsal.rehearse(step)
                    case .downgrade: try rehearsal.rehearseDowngrade(step)
                    }
                    heads = step.headsAfter
                    report.rehearsed += 1
                } catch {
                    report.failures.append(error)
                    if step.direction == .upgrade, !rehearsal.keepGoing(after: step) { failed.insert(revision.id) }
                    heads = (try? rehearsal.currentHeads()) ?? heads
                    // A downgrade that failed leaves the copy where the real database
                    // would be stuck too: what comes after it cannot be judged.
                    if step.direction == .downgrade { return report }
                }
            }
        }
        return report
    }
}
