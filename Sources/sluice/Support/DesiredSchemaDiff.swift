import ArgumentParser
import SluiceCore
import SluiceSQLite

/// The options `create --autogenerate` and `diff` share: where the desired schema comes
/// from, and the renames a diff cannot see.
struct SchemaOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The desired schema: an SQL file, or a directory of *.sql files run in name order.",
        discussion: "Default: `schema` in the configuration, else schema.sql beside the versions directory."))
    var schema: String?

    @Flag(name: .long, help: "Take the desired schema from the database itself, read-only: what `check` reports as drift becomes a revision.")
    var fromDatabase = false

    @Option(name: .long, help: "A rename the diff cannot see: `table=new_name`, or `table.column=new_name` (current names on the left). Repeatable.")
    var rename: [String] = []

    func validate() throws {
        if fromDatabase && schema != nil { throw ValidationError("--schema and --from-database name two different desired schemas; pass one") }
    }
}

/// The schema the history produces at some heads, the desired one, and the script from
/// the first to the second: what `diff` prints and `create --autogenerate` writes. Neither
/// side is the real database unless `--from-database` makes it the desired one, and then
/// it is only read.
struct DesiredSchemaDiff {
    let history: HistorySchema
    /// The database holding the desired schema (a scratch copy of the schema files, or
    /// the real database read-only).
    let desired: Connection
    /// Tables of `desired` that are sluice's own and never compared.
    let desiredExcluding: Set<String>
    /// Where the desired schema came from, for messages.
    let desiredLabel: String
    let current: SchemaModel
    let wanted: SchemaModel
    let renames: SchemaRenames
    /// From the history's schema to the desired one.
    let upgrade: SchemaChangeScript

    /// Builds both schemas and the script between them.
    /// - Parameter targets: the revisions whose schema is the current one (the new
    ///   revision's parents and dependencies; for `diff`, the heads).
    init(workspace: Workspace, graph: RevisionGraph, targets: [String], options: SchemaOptions) throws {
        let excluded: Set<String> = [workspace.versionTable.name, HistoryTable.name]
        do {
            history = try HistorySchema(graph: graph, targets: targets, versionTable: workspace.versionTable)
        } catch {
            throw CLIError.failed("\(error)")
        }
        let heads = history.heads
        if options.fromDatabase {
            guard let database = try workspace.openReadOnly() else {
                throw CLIError.failed("--from-database: \(workspace.databasePath) does not exist")
            }
            let rows: [String]
            do { rows = try workspace.versionTable.heads(in: database) } catch { throw CLIError.failed(workspace.readFailure(error)) }
            guard rows.sorted() == heads.sorted() else {
                let at = rows.isEmpty ? "no revision" : rows.joined(separator: ", ")
                throw CLIError.failed("--from-database: \(workspace.databasePath) is at \(at), not at \(heads.isEmpty ? "base" : heads.joined(separator: ", ")); the revision would undo what it lacks. Upgrade it first (`sluice upgrade heads`), or pass --head with the revision it is at")
            }
            desired = database
            desiredLabel = "the schema of \(workspace.databasePath)"
        } else {
            let path = options.schema.map { PathText.resolve($0, relativeTo: PathText.currentDirectory()) }
                ?? workspace.configuration.schema
                ?? PathText.join(PathText.parent(of: workspace.versionsPath), "schema.sql")
            do { desired = try DesiredSchema(path: path).connection } catch {
                throw CLIError.usage("the desired schema: \(error)")
            }
            desiredLabel = path
        }
        desiredExcluding = excluded
        do {
            current = try history.model()
            wanted = try SchemaModel.capture(desired, excluding: excluded)
        } catch {
            throw CLIError.failed("cannot read a schema: \(error)")
        }
        do {
            renames = try SchemaRenames(hints: options.rename)
            upgrade = try SchemaDiff.script(from: current, to: wanted, renames: renames)
        } catch {
            throw CLIError.usage("\(error)")
        }
    }

    /// From the desired schema back to the history's: the downgrade.
    func downgrade() throws -> SchemaChangeScript {
        do { return try SchemaDiff.script(from: wanted, to: current, renames: renames.inverted(current: current)) } catch {
            throw CLIError.failed("the downgrade cannot be generated: \(error)")
        }
    }

    /// What the upgrade removes, and the renames that might keep it, as lines.
    var lossReport: [String] {
        var lines = upgrade.losses.map { "  \($0)" }
        if !upgrade.renameSuggestions.isEmpty {
            lines.append("if something was renamed rather than replaced, say so and its data is kept: " + upgrade.renameSuggestions.joined(separator: " or "))
        }
        return lines
    }
}
