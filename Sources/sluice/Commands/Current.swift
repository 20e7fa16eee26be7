import ArgumentParser
import SluiceCore

/// `sluice current`: the revisions in the version table.
struct Current: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the revisions the database is at.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Show each revision in full.") var verbose = false
    @Flag(name: .long, help: "Exit 1 unless the database is at every head.") var checkHeads = false

    func run() throws {
        let workspace = try Workspace(common)
        let current = try workspace.currentHeads()
        let analysis = RevisionGraph.analyze(try workspace.loadVersions().revisions)
        let graph = analysis.graph
        let format = RevisionFormatting(graph: graph, current: Set(current))
        let atHeads = Set(current) == Set(graph.heads)
        if output.json {
            try Output.json(CurrentReport(
                database: workspace.databasePath, current: current, heads: graph.heads, atHeads: atHeads,
                revisions: current.map { graph[$0] != nil ? .known(format.json($0)) : .unknown(id: $0) }))
        } else {
            for id in current {
                if graph[id] == nil {
                    print("\(id) (unknown: no file in \(workspace.versionsPath) declares it)")
                } else {
                    print(verbose ? format.verbose(id) : id + format.markers(id).replacing(" (current)", with: ""))
                }
            }
        }
        if checkHeads && !atHeads {
            throw CLIError.failed("the database is not at every head: it is at \(current.isEmpty ? "base" : current.joined(separator: ", ")), the heads are \(graph.heads.joined(separator: ", ")); run `sluice upgrade heads`")
        }
    }
}
