import ArgumentParser
import SluiceCore

/// `sluice create -m MSG`: a new revision on top of the current head.
struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new revision file whose parent is the head.")

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "What the revision does (its first line).") var message: String
    @Option(name: .long, help: "Use this revision id instead of a random one.") var revID: String?
    @Option(name: .long, help: "The parent: a revision, label@head, or `base` for a new base (default: the single head).") var head: String?
    @Option(name: .long, help: "A branch label for the new revision.") var branchLabel: [String] = []
    @Option(name: .long, help: "A revision the new one depends on (Depends On).") var dependsOn: [String] = []
    @Flag(name: .long, help: "Ignore the template: header and empty sections only.") var empty = false
    @Flag(name: .long, help: "Write the SQL that turns the schema of the parent into the desired schema (--schema, or --from-database).")
    var autogenerate = false
    @OptionGroup var schemaOptions: SchemaOptions
    @Flag(name: .long, help: "With --autogenerate: let the revision drop tables, columns, views and triggers (it gets `Destructive: allowed`).")
    var allowDestructive = false

    func validate() throws {
        if !autogenerate && (schemaOptions.schema != nil || schemaOptions.fromDatabase || !schemaOptions.rename.isEmpty || allowDestructive) {
            throw ValidationError("--schema, --from-database, --rename and --allow-destructive go with --autogenerate")
        }
        if autogenerate && empty { throw ValidationError("--empty writes a revision without SQL; --autogenerate writes one with SQL: pass one") }
    }

    func run() throws {
        let workspace = try Workspace(common, requireDatabase: !autogenerate || schemaOptions.fromDatabase)
        let graph = try workspace.graph()
        let parents: [String]
        if let head {
            parents = try graph.resolveTarget(head, current: [])
        } else if graph.isEmpty {
            parents = []
        } else {
            do { parents = [try graph.singleHead()] } catch {
                throw CLIError.failed("\(error); or pass --head REV to choose the parent")
            }
        }
        let dependencies = try dependsOn.map { try graph.resolveTarget($0, current: []) }.flatMap { $0 }
        if autogenerate {
            try Autogenerate(workspace: workspace, graph: graph, options: schemaOptions, allowDestructive: allowDestructive)
                .write(message: message, revisionID: revID, parents: parents, labels: branchLabel, dependsOn: dependencies)
            return
        }
        let path = try RevisionWriter(workspace: workspace).write(
            message: message, revisionID: revID, parents: parents, labels: branchLabel, dependsOn: dependencies, empty: empty, graph: graph)
        print("Generating \(path) ... done")
    }
}

/// `sluice merge -m MSG REV... | heads`: a revision joining several heads.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a merge revision whose parents are the given revisions (or all heads).")

    @OptionGroup var common: CommonOptions
    @Option(name: .shortAndLong, help: "What the merge does.") var message: String
    @Option(name: .long, help: "Use this revision id instead of a random one.") var revID: String?
    @Option(name: .long, help: "A branch label for the merge revision.") var branchLabel: [String] = []
    @Argument(help: "The revisions to merge, or `heads`.") var revisions: [String]

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        var parents: [String] = []
        for text in revisions {
            for id in try graph.resolveTarget(text, current: []) where !parents.contains(id) { parents.append(id) }
        }
        guard parents.count >= 2 else {
            throw CLIError.failed("a merge needs at least two revisions; got \(parents.joined(separator: ", ")) (there \(graph.heads.count == 1 ? "is one head" : "are \(graph.heads.count) heads"))")
        }
        let path = try RevisionWriter(workspace: workspace).write(
            message: message, revisionID: revID, parents: graph.sorted(parents), labels: branchLabel, dependsOn: [], empty: false, graph: graph)
        print("Generating \(path) ... done")
    }
}
