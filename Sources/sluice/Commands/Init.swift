import ArgumentParser
import SluiceCore

/// `sluice init`: create the database if needed and upgrade it to every head.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the database if needed and upgrade it to heads.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rehearsal: RehearsalOptions

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let session = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        let current = try Run.sqlite { try session.migrator.currentHeads() }
        let plan: MigrationPlan
        do { plan = try AlembicCommands(graph).upgradePlan(current: current, target: "heads") } catch { throw CLIError.failed("\(error)") }
        try Preflight(workspace: workspace, graph: graph, skipRehearsal: rehearsal.skipRehearsal).validate([plan], migrator: session.migrator)
        try Run.apply(plan, in: session)
    }
}
