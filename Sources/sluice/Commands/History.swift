import ArgumentParser
import SluiceCore

/// `sluice history`: the graph, newest first.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List revisions newest first, with head, current, branch and merge markers.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Option(name: [.short, .customLong("rev-range")], help: "Range `[start]:[end]` of targets (e.g. -3:current, base:head).")
    var range: String?
    @Flag(name: .long, help: "Show each revision in full.") var verbose = false
    @Flag(name: [.short, .customLong("indicate-current")],
          help: "Mark the database's current revisions (Alembic's -i; sluice always marks them).")
    var indicateCurrent = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let current = try workspace.currentHeads()
        var shown = graph.order
        if let range {
            shown = try select(range, graph: graph, current: current)
        }
        let format = RevisionFormatting(graph: graph, current: Set(current))
        if output.json {
            try Output.json(HistoryReport(current: current, revisions: shown.reversed().map(format.json)))
            return
        }
        for id in shown.reversed() {
            print(verbose ? format.verbose(id) : format.line(id))
        }
    }

    /// The revisions between two targets, inclusive: ancestors of the end that are not
    /// ancestors of the start (the start itself included).
    private func select(_ range: String, graph: RevisionGraph, current: [String]) throws -> [String] {
        guard let colon = range.firstIndex(of: ":") else {
            throw CLIError.usage("-r takes `start:end`, e.g. `-r base:head`, `-r -3:current`")
        }
        func resolve(_ text: String, fallback: [String]) throws -> [String] {
            if text.isEmpty { return fallback }
            if text == "current" { return current }
            return try graph.resolveTarget(text, current: current)
        }
        let start = try resolve(String(range[..<colon]), fallback: [])
        let end = try resolve(String(range[range.index(after: colon)...]), fallback: graph.heads)
        let upper = graph.ancestors(of: end)
        let below = graph.ancestors(of: start).subtracting(start)
        return graph.order.filter { upper.contains($0) && !below.contains($0) }
    }
}
