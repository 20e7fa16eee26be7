import ArgumentParser
import SluiceCore
import SluiceSQLite

/// `sluice diff`: the statements that would turn the schema the heads produce into the
/// desired one, printed and not written; exit 3 when there are any, for CI (as
/// `alembic check`).
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the SQL that turns the schema of the heads into the desired schema; exit 3 when they differ.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var schemaOptions: SchemaOptions
    @OptionGroup var output: JSONFlag

    func run() throws {
        let workspace = try Workspace(common, requireDatabase: schemaOptions.fromDatabase)
        let graph = try workspace.graph()
        let comparison = try DesiredSchemaDiff(workspace: workspace, graph: graph, targets: graph.sorted(graph.heads), options: schemaOptions)
        let script = comparison.upgrade
        if output.json {
            try Output.json(DiffReport(
                differs: !script.isEmpty, desired: comparison.desiredLabel, heads: graph.sorted(graph.heads),
                steps: script.steps.map { DiffReport.Step(comment: $0.comment, statements: $0.statements) },
                losses: script.losses.map { DiffReport.Loss(kind: $0.kind.rawValue, name: $0.name) },
                renameSuggestions: script.renameSuggestions))
        } else if script.isEmpty {
            print("No differences: the heads give \(comparison.desiredLabel).")
        } else {
            print(script.sql)
            if !script.losses.isEmpty {
                Output.error("this would remove:\n" + comparison.lossReport.joined(separator: "\n"))
            }
        }
        if !script.isEmpty { throw ExitCode(3) }
    }
}
