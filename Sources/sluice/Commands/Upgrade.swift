import ArgumentParser
import Foundation
import SluiceCore
import SluiceSQLite

/// `sluice upgrade [TARGET] [--sql]`.
struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply what is needed to reach TARGET (default: head).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var target: TargetArgument
    @Flag(name: .long, help: "Print the SQL instead of running it (offline mode); `FROM:TO` sets the starting point.")
    var sql = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let text = try target.target(default: "head")
        if sql {
            let (from, to) = OfflineSQL.splitRange(text)
            let current = try from.map { try graph.resolveTarget($0, current: []) } ?? workspace.currentHeads()
            let plan = try planUpgrade(graph, current: current, target: to)
            print(OfflineSQL.render(plan, versionTable: workspace.versionTable, createTables: true), terminator: "")
            return
        }
        let (heldLock, migrator) = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        defer { withExtendedLifetime(heldLock) {} }
        let current = try Run.sqlite { try migrator.currentHeads() }
        let plan = try planUpgrade(graph, current: current, target: text)
        try Run.apply(plan, with: migrator)
    }

    private func planUpgrade(_ graph: RevisionGraph, current: [String], target text: String) throws -> MigrationPlan {
        let targets = try graph.resolveTarget(text, current: current)
        do { return try graph.upgradePlan(current: current, to: targets) } catch { throw CLIError.failed("\(error)") }
    }
}

/// `sluice downgrade TARGET [--sql]`.
struct Downgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Unapply revisions down to TARGET (base, -N, a revision).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var target: TargetArgument
    @Flag(name: .long, help: "Print the SQL instead of running it (offline mode); `FROM:TO` sets the starting point.")
    var sql = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let text = try target.target(default: nil)
        if sql {
            let (from, to) = OfflineSQL.splitRange(text)
            let current = try from.map { try graph.resolveTarget($0, current: []) } ?? workspace.currentHeads()
            let plan = try planDowngrade(graph, current: current, target: to)
            print(OfflineSQL.render(plan, versionTable: workspace.versionTable, createTables: false), terminator: "")
            return
        }
        let (heldLock, migrator) = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        defer { withExtendedLifetime(heldLock) {} }
        let current = try Run.sqlite { try migrator.currentHeads() }
        let plan = try planDowngrade(graph, current: current, target: text)
        if !plan.isEmpty {
            Output.error("downgrade will unapply \(plan.steps.count) revision(s): \(plan.steps.map(\.revision.id).joined(separator: ", "))")
        }
        try Run.apply(plan, with: migrator)
    }

    private func planDowngrade(_ graph: RevisionGraph, current: [String], target text: String) throws -> MigrationPlan {
        let targets = try graph.resolveTarget(text, current: current)
        do { return try graph.downgradePlan(current: current, to: targets) } catch { throw CLIError.failed("\(error)") }
    }
}

/// Running plans with progress output.
enum Run {
    /// Applies a plan, printing one line per revision as Alembic logs it.
    static func apply(_ plan: MigrationPlan, with migrator: Migrator) throws {
        if plan.isEmpty {
            Output.error("nothing to do: the database is already there (\(plan.headsBefore.isEmpty ? "base" : plan.headsBefore.joined(separator: ", ")))")
            return
        }
        do {
            try migrator.apply(plan) { step, _ in
                let from = step.direction == .upgrade ? step.revision.parents.joined(separator: ", ") : step.revision.id
                let to = step.direction == .upgrade ? step.revision.id : step.revision.parents.joined(separator: ", ")
                Output.error("Running \(step.direction.rawValue) \(from) -> \(to), \(step.revision.message)")
            }
        } catch {
            throw CLIError.failed("\(error)")
        }
        print(plan.headsAfter.isEmpty ? "base" : plan.headsAfter.joined(separator: "\n"))
    }

    /// Runs a database call, turning its error into exit status 1.
    static func sqlite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CLIError { throw error } catch { throw CLIError.failed("\(error)") }
    }
}

