import SluiceCore
import SluiceSQLite

/// `create --autogenerate`: a revision whose upgrade turns the schema its parents produce
/// into the desired one and whose downgrade turns it back, validated in full before it is
/// written. Nothing touches the real database (with `--from-database` it is only read).
struct Autogenerate {
    let workspace: Workspace
    let graph: RevisionGraph
    let options: SchemaOptions
    let allowDestructive: Bool

    /// The database's version rows, on the connection already open.
    private func rows(of database: Connection) throws -> [String] {
        do { return try workspace.versionTable.heads(in: database) } catch { throw CLIError.failed(workspace.readFailure(error)) }
    }

    /// Generates, validates and writes the revision, or explains why not.
    func write(message: String, revisionID: String?, parents: [String], labels: [String], dependsOn: [String]) throws {
        let comparison = try DesiredSchemaDiff(workspace: workspace, graph: graph, targets: parents + dependsOn, options: options)
        let upgrade = comparison.upgrade
        guard !upgrade.isEmpty else {
            print("No changes: the revisions at \(parents.isEmpty ? "base" : parents.joined(separator: ", ")) already give \(comparison.desiredLabel); nothing written.")
            return
        }
        if !upgrade.losses.isEmpty && !allowDestructive {
            throw CLIError.failed((["nothing written: the change would remove"] + comparison.lossReport
                + ["pass --allow-destructive to write it (the revision gets `Destructive: allowed`), or change the desired schema"]).joined(separator: "\n"))
        }
        let downgrade = try comparison.downgrade()
        let writer = RevisionWriter(workspace: workspace)
        let rendered = try writer.render(
            message: message, revisionID: revisionID, parents: parents, labels: labels, dependsOn: dependsOn, empty: false, graph: graph,
            upgrade: upgrade.sql, downgrade: downgrade.sql, headers: upgrade.dataLosses.isEmpty ? [] : ["Destructive: allowed"])
        let extended: RevisionGraph
        do { extended = try RevisionGraph(Array(graph.revisions.values) + [rendered.revision]) } catch {
            throw CLIError.failed("the generated revision does not fit the graph: \(error)")
        }
        let policy = RevisionPolicy(allowAttach: workspace.configuration.validation.allowAttach)
        var problems = GeneratedRevisionCheck.problems(
            of: rendered.revision, graph: extended, history: comparison.history, desired: comparison.desired,
            desiredExcluding: comparison.desiredExcluding, policy: policy)
        // A database at the parent is where the revision will run next: rehearse it on a
        // copy of its rows too. (With --from-database it already has the change.)
        if problems.isEmpty, !options.fromDatabase, let database = try workspace.openReadOnly(),
           try rows(of: database).sorted() == comparison.history.heads.sorted(),
           let problem = GeneratedRevisionCheck.problemOnCopy(
               of: rendered.revision, graph: extended, database: database, heads: comparison.history.heads,
               versionTable: workspace.versionTable, maxBytes: workspace.configuration.validation.rehearsalMaxBytes, policy: policy) {
            problems.append(problem)
        }
        guard problems.isEmpty else {
            throw CLIError.failed((["nothing written: the generated revision does not pass validation:"] + problems.map { "  \($0)" }
                + ["the statements are what `sluice diff` prints; write this change by hand (`sluice create -m …`)"]).joined(separator: "\n"))
        }
        try writer.write(rendered)
        print("Generating \(rendered.path) ... done")
        if !upgrade.losses.isEmpty { print("It removes (--allow-destructive):\n" + comparison.lossReport.joined(separator: "\n")) }
        if options.fromDatabase {
            print("\(workspace.databasePath) already has this schema: once reviewed, record the revision there with `sluice stamp \(rendered.revision.id)` rather than upgrading it.")
        }
    }
}
