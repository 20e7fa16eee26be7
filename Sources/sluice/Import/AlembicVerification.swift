import SluiceCore
import SluiceSQLite

/// `sluice import alembic --verify`: proof that the imported history does what the
/// Alembic project does. sluice upgrades one fresh scratch database to every head the
/// way `sluice init` would (the same validation — rehearsal, destructive-change check,
/// placeholders refused — then the same migrator), Alembic upgrades another with
/// `upgrade heads` online through the project's own env.py, and the two are compared
/// (`SchemaComparison`). Neither touches the configured database.
struct AlembicVerification {
    /// Where sluice's configuration and versions come from (`--config`, `--versions`).
    let options: WorkspaceOptions
    /// The versions directory the import wrote to.
    let versionsPath: String
    /// The Alembic project.
    let driver: AlembicDriver
    /// The version table env.py uses, when the driver saw it.
    let alembicVersionTable: String?

    /// Runs both upgrades and compares; prints the result.
    /// - Returns: whether the two databases agree.
    /// - Throws: `CLIError` when either side cannot upgrade at all.
    func run() throws -> Bool {
        let scratch = try ScratchDirectory(prefix: "sluice-verify")
        var options = self.options
        options.database = scratch.file("sluice.db")
        options.versions = versionsPath
        let workspace = try Workspace(options)
        let graph = try workspace.graph()
        let session = try workspace.openForWriting(lockTimeout: "30s")
        let plan: MigrationPlan
        do { plan = try AlembicCommands(graph).upgradePlan(current: [], target: "heads") } catch { throw CLIError.failed("\(error)") }
        do {
            try Preflight(workspace: workspace, graph: graph, skipRehearsal: false).validate([plan], migrator: session.migrator, rehearseFromEmpty: true)
        } catch let error as CLIError {
            throw CLIError.failed("verify: sluice refuses the imported history, so it cannot be compared:\n" + error.message)
        }
        do { try session.migrator.apply(plan) } catch {
            throw CLIError.failed("verify: sluice's upgrade to heads failed on a scratch database:\n\(error)")
        }
        print("verify: sluice upgraded a scratch database to heads (\(plan.steps.count) revisions)")

        let alembicDatabase = scratch.file("alembic.db")
        let upgrade = try driver.upgradeOnline(database: alembicDatabase)
        if let error = upgrade.error {
            throw CLIError.failed("verify: Alembic's own `upgrade heads` failed on a scratch database: \(error)")
        }
        print("verify: Alembic upgraded another to heads (online, through env.py)")

        let sluiceSide = SchemaComparison.Side(name: "sluice", connection: session.migrator.connection, versionTable: workspace.versionTable.name)
        let alembicConnection: Connection
        do { alembicConnection = try Connection(path: alembicDatabase, mode: .readOnly) } catch {
            throw CLIError.failed("verify: cannot open Alembic's scratch database: \(error)")
        }
        let alembicSide = SchemaComparison.Side(name: "Alembic", connection: alembicConnection,
                                                versionTable: alembicVersionTable ?? workspace.versionTable.name)
        var comparison = SchemaComparison(sluice: sluiceSide, alembic: alembicSide)
        let differences: [String]
        do { differences = try comparison.differences() } catch {
            throw CLIError.failed("verify: cannot compare the two databases: \(error)")
        }
        for difference in differences { print("verify: \(difference)") }
        if differences.isEmpty {
            let heads = try Run.sqlite { try comparison.versionRows(sluiceSide) }
            print("verify: no difference: \(comparison.objectCount) schema objects, their rows, and \(sluiceSide.versionTable) (\(heads.joined(separator: ", ")))")
            return true
        }
        print("verify: \(differences.count) difference(s)")
        return false
    }
}
