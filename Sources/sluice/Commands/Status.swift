import ArgumentParser
import FoundationEssentials
import SluiceDaemon
import SluiceSchedule
import SluiceSQLite

/// `sluice status`: what the daemon sees, from its state file, or computed from disk and
/// database when no daemon runs.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the queue: pending, waiting, rejected and held revisions.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Exit 3 when anything is pending, waiting or held.") var exitCode = false

    func run() throws {
        let workspace = try Workspace(common)
        let settings = DaemonSettings(configuration: workspace.configuration, databasePath: workspace.databasePath, versionsPath: workspace.versionsPath)
        let stateFile = StateFile(path: settings.stateFilePath)
        var document: StateFile.Document?
        var source = "daemon"
        if let stored = try? stateFile.read(), StateFile.isAlive(stored) {
            document = stored
        }
        if document == nil {
            source = "disk"
            let inspector = RevisionFileInspector(strictPermissions: settings.strictPermissions)
            var evaluator = QueueEvaluator(databasePath: settings.databasePath, versionsPath: settings.versionsPath,
                                           versionTable: workspace.versionTable, allowMultipleHeads: settings.allowMultipleHeads,
                                           rehearsalMaxBytes: settings.rehearsalMaxBytes)
            evaluator.policy = settings.policy
            let view = evaluator.evaluate(inspector.scan(settings.versionsPath), database: try workspace.openReadOnly()).view
            let calendar = MaintenanceCalendar(windows: workspace.configuration.windows, blackouts: workspace.configuration.blackouts)
            let next = calendar.openings(after: Date(), count: 1).first.map { Windows.describe($0) }
            document = StateFile.Document(pid: 0, updatedAt: Timestamp.iso8601(Date()), summary: view.summary, view: view, nextWindow: next)
        }
        let state = document!
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var object = (try JSONDecoder().decode(JSONValue.self, from: encoder.encode(state)).plain) as? [String: Any] ?? [:]
            object["source"] = source
            Output.json(object)
        } else {
            print(StatusText.render(state, source: source))
        }
        if exitCode && state.view.hasPendingWork { throw ExitCode(3) }
    }
}

/// The human form of `status`.
enum StatusText {
    static func render(_ state: StateFile.Document, source: String) -> String {
        let view = state.view
        var lines: [String] = []
        lines.append(source == "daemon" ? "daemon pid \(state.pid), updated \(state.updatedAt): \(state.summary)" : "no daemon running; computed from disk and database: \(state.summary)")
        lines.append("database: \(view.database) at \(view.current.isEmpty ? "base" : view.current.joined(separator: ", "))")
        if let last = view.lastApplied { lines.append("last applied: \(last.revision) (\(last.direction), \(last.finishedAt), by \(last.trigger))") }
        lines.append("next window: \(state.nextWindow ?? "none configured or none ahead")")
        if let applying = state.applying { lines.append("applying: \(applying)") }
        if let problem = state.configurationProblem { lines.append("configuration not reloaded: \(problem)") }
        func section(_ title: String, _ entries: [QueueView.Entry]) {
            guard !entries.isEmpty else { return }
            lines.append("\(title):")
            for entry in entries {
                let location = [entry.file, entry.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
                lines.append("  \(entry.revision ?? "-") \(location): \(entry.reason)")
            }
        }
        if !view.queue.isEmpty {
            lines.append("queued (in order):")
            for entry in view.queue {
                let why = state.schedule[entry.revision].map { " [\($0)]" } ?? ""
                lines.append("  \(entry.revision) \(entry.file): \(entry.message)\(why)")
            }
        }
        section("held", view.held)
        section("waiting", view.waiting)
        section("rejected", view.rejected)
        return lines.joined(separator: "\n")
    }
}
