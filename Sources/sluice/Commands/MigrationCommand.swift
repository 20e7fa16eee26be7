import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// What `upgrade` and `downgrade` share: resolve the target against the database, plan,
/// then either print the script (`--sql`, read-only) or take the lock and apply.
struct MigrationCommand: Equatable {
    let direction: MigrationDirection
    let common: WorkspaceOptions
    let lockTimeout: String
    let target: String
    let offline: Bool
    /// `--skip-rehearsal`: the user's informed choice to apply without the rehearsal.
    var skipRehearsal = false
    /// `--all`: every member of the fleet.
    var all = false
    /// `--json`, for a fleet's report.
    var json = false

    func run() throws {
        let configuration = try Workspace.configuration(for: common)
        if let fleet = try FleetScope.resolve(common, configuration: configuration, all: all) {
            guard !offline else { throw CLIError.usage("--sql works on one database; pass --database NAME") }
            return try FleetMigrationRun(scope: fleet, direction: direction, target: target, lockTimeout: lockTimeout,
                                         skipRehearsal: skipRehearsal, json: json).run()
        }
        if json { throw CLIError.usage("--json is for a fleet (--all or --database GLOB); one database's upgrade prints its heads") }
        let workspace = try Workspace(common, configuration: configuration)
        var fingerprint: VersionsFingerprint?
        if direction == .upgrade, !offline {
            switch AtHeadCache.consult(target, workspace: workspace) {
            case .atTarget(let current):
                Run.reportNothingToDo(current)
                return
            case .ordinary(let taken):
                fingerprint = taken
            }
        }
        let graph = try workspace.graph()
        if offline {
            let (from, to) = OfflineSQL.splitRange(target)
            let current = try from.map { try graph.resolveTarget($0, current: []) } ?? workspace.currentHeads()
            let plan = try self.plan(graph, current: current, target: to)
            try OfflineSQL.refusePlaceholders(in: plan)
            print(OfflineSQL.render(plan, versionTable: workspace.versionTable, createTables: direction == .upgrade), terminator: "")
            return
        }
        // Nothing to do is the common case of a deploy hook: found read-only, without
        // the lock or a write connection.
        if let connection = try? workspace.openReadOnly(), let current = try? workspace.versionTable.rowsAsStored(in: connection),
           let plan = try? self.plan(graph, current: current, target: target), plan.isEmpty {
            if let fingerprint {
                AtHeadCache.record(workspace: workspace, fingerprint: fingerprint, graphHeads: graph.heads, connection: connection)
            }
            try Run.apply(plan, in: nil)
            return
        }
        let session = try workspace.openForWriting(lockTimeout: lockTimeout)
        let current = try Run.sqlite { try session.migrator.currentRowsAsStored() }
        let plan = try self.plan(graph, current: current, target: target)
        if direction == .downgrade, !plan.isEmpty {
            Output.error("downgrade will unapply \(plan.steps.count) revision(s): \(plan.steps.map(\.revision.id).joined(separator: ", "))")
        }
        try Preflight(workspace: workspace, graph: graph, skipRehearsal: skipRehearsal).validate([plan], migrator: session.migrator)
        try Run.apply(plan, in: session)
    }

    /// Alembic's plan for the target: the same revisions in the same order, and the
    /// same rows after each step (see docs/alembic.md).
    private func plan(_ graph: RevisionGraph, current: [String], target text: String) throws -> MigrationPlan {
        do {
            let commands = AlembicCommands(graph)
            switch direction {
            case .upgrade: return try commands.upgradePlan(current: current, target: text)
            case .downgrade: return try commands.downgradePlan(current: current, target: text)
            }
        } catch {
            throw CLIError.failed("\(error)")
        }
    }
}
