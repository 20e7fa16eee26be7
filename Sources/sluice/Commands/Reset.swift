import ArgumentParser
import SluiceCore
import SluiceSQLite

/// `sluice reset --yes`: back to base, then up to every head.
struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Downgrade to base (or drop everything when a revision is irreversible), then upgrade to heads.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rehearsal: RehearsalOptions
    @Flag(name: .long, help: "Confirm: reset destroys the data in the database.") var yes = false

    func validate() throws {
        guard yes else { throw ValidationError("reset destroys the data in the database; pass --yes to confirm") }
    }

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let session = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        let migrator = session.migrator
        let current = try Run.sqlite { try migrator.currentRowsAsStored() }
        let preflight = Preflight(workspace: workspace, graph: graph, skipRehearsal: rehearsal.skipRehearsal)
        let commands = AlembicCommands(graph)
        let up: MigrationPlan
        do { up = try commands.upgradePlan(current: [], target: "heads") } catch { throw CLIError.failed("\(error)") }
        do {
            let down = try commands.downgradePlan(current: current, target: "base")
            try preflight.validate([down, up], migrator: migrator)
            Output.error("reset: downgrading \(down.steps.count) revision(s) to base")
            try Run.apply(down, in: session)
        } catch let error as AlembicCommandError where !error.irreversible.isEmpty {
            try preflight.validate([up], migrator: migrator, rehearseFromEmpty: true)
            Output.error("reset: \(error.irreversible.map(\.id).joined(separator: ", ")) cannot be downgraded; dropping every table, view, index and trigger instead")
            try dropEverything(migrator)
        } catch let error as AlembicCommandError {
            throw CLIError.failed("\(error)")
        }
        let remaining: MigrationPlan
        do { remaining = try commands.upgradePlan(current: try Run.sqlite { try migrator.currentRowsAsStored() }, target: "heads") } catch {
            throw CLIError.failed("\(error)")
        }
        try Run.apply(remaining, in: session)
    }

    /// Drops every schema object except sluice's history, and empties the version table.
    private func dropEverything(_ migrator: Migrator) throws {
        let connection = migrator.connection
        try Run.sqlite {
            let objects = try connection.rows("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view') AND name NOT IN (?, ?)",
                                              [.text(migrator.versionTable.name), .text(HistoryTable.name)])
            try connection.execute("PRAGMA foreign_keys = OFF")
            try connection.execute("BEGIN IMMEDIATE")
            for object in objects {
                guard let type = object[0].text, let name = object[1].text else { continue }
                Output.error("dropping \(type) \(name)")
                try connection.execute("DROP \(type.uppercased()) \"\(name.replacing("\"", with: "\"\""))\"")
            }
            try migrator.versionTable.replace(with: [], in: connection)
            try connection.execute("COMMIT")
            try connection.execute("PRAGMA foreign_keys = ON")
        }
    }
}
