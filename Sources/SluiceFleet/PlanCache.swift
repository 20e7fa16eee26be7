import SluiceCore
import Synchronization

/// Alembic's plan from a member's version rows to one target, computed once per distinct
/// rows: the members of a fleet mostly stand at the same few revisions, and a thousand
/// members need a handful of plans, not a thousand.
public final class PlanCache: Sendable {
    private let commands: AlembicCommands
    private let target: String
    private let downward: Bool
    private let plans = Mutex<[[String]: Result<MigrationPlan, AlembicCommandError>]>([:])

    /// Plans on `graph` to `target`, upward or (`downward`) down.
    public init(graph: RevisionGraph, target: String, downward: Bool = false) {
        commands = AlembicCommands(graph)
        self.target = target
        self.downward = downward
    }

    /// The plan from `rows`, or why there is none.
    public func result(from rows: [String]) -> Result<MigrationPlan, AlembicCommandError> {
        if let known = plans.withLock({ $0[rows] }) { return known }
        let result = Result { () throws(AlembicCommandError) -> MigrationPlan in
            downward ? try commands.downgradePlan(current: rows, target: target) : try commands.upgradePlan(current: rows, target: target)
        }
        plans.withLock { $0[rows] = result }
        return result
    }

    /// The plan from `rows`; `nil` when there is none.
    public func plan(from rows: [String]) -> MigrationPlan? { try? result(from: rows).get() }
}
