import ArgumentParser
import SluiceCore

/// `sluice init`: create the database if needed and upgrade it to every head.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the database if needed and upgrade it to heads.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let (heldLock, migrator) = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        defer { withExtendedLifetime(heldLock) {} }
        let current = try Run.sqlite { try migrator.currentHeads() }
        let plan: MigrationPlan
        do { plan = try graph.upgradePlan(current: current, to: graph.heads) } catch { throw CLIError.failed("\(error)") }
        try Run.apply(plan, with: migrator)
    }
}
