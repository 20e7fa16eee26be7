import ArgumentParser
import SluiceCore

/// `sluice heads`: the heads of the graph.
struct Heads: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the heads of the revision graph.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Show each head in full.") var verbose = false
    @Flag(name: .long, help: "Count dependencies as parents: only the revisions nothing revises or depends on (Alembic's --resolve-dependencies).")
    var resolveDependencies = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let format = RevisionFormatting(graph: graph, current: Set(try workspace.currentHeads()))
        let heads = resolveDependencies ? graph.heads.filter { graph.dependents[$0] == nil } : graph.heads
        if output.json {
            try Output.json(HeadsReport(heads: heads.map(format.json)))
            return
        }
        for id in heads {
            print(verbose ? format.verbose(id) : format.line(id, parents: false, doc: false))
        }
    }
}

/// `sluice branches`: every branch point and where it leads.
struct Branches: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show branch points and the revisions they branch into.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Show the messages too.") var verbose = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let format = RevisionFormatting(graph: graph, current: Set(try workspace.currentHeads()))
        if output.json {
            try Output.json(BranchesReport(branchPoints: graph.branchPoints.map {
                BranchesReport.BranchPoint(revision: format.json($0), children: graph.children[$0] ?? [])
            }))
            return
        }
        for id in graph.branchPoints.reversed() {
            print(format.line(id, parents: false, doc: verbose))
            let indent = String(repeating: " ", count: id.count)
            for child in graph.children[id] ?? [] {
                print("\(indent) -> \(format.line(child, parents: false, doc: verbose))")
            }
            print("")
        }
    }
}

/// `sluice show REV`: one revision in full.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one revision in full.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @OptionGroup var target: TargetArgument

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let current = try workspace.currentHeads()
        let ids = try graph.resolveTarget(try target.target(default: nil), current: current)
        let format = RevisionFormatting(graph: graph, current: Set(current))
        if output.json {
            if ids.count == 1 {
                try Output.json(format.json(ids[0]))
            } else {
                try Output.json(RevisionListReport(revisions: ids.map(format.json)))
            }
            return
        }
        if ids.isEmpty { print("<base>") }
        for id in ids { print(format.verbose(id)) }
    }
}
