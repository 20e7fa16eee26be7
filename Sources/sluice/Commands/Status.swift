import ArgumentParser
import FoundationEssentials
import SluiceCore
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
        let workspace: Workspace
        do {
            let configuration = try Workspace.configuration(for: common.values)
            // A fleet: the summary of every member, or the members --database names.
            if configuration.databases != nil, !(common.database?.contains("/") ?? false),
               let scope = try FleetScope.resolve(common.values, configuration: configuration, all: common.database == nil) {
                return try FleetStatus(scope: scope, json: output.json, exitCode: exitCode, detailed: common.database != nil).run()
            }
            workspace = try Workspace(common.values, configuration: configuration)
        } catch let error as CLIError where error.code == 2 {
            // A configuration file broken by an edit: the running daemon still has its
            // last good one, and its state file says what it is doing.
            try reportWithBrokenConfiguration(error)
            throw error
        }
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
            evaluator.copyLimits = workspace.configuration.backups.copyLimits
            let view = evaluator.evaluate(inspector.scan(settings.versionsPath), database: try workspace.openReadOnly()).view
            let calendar = MaintenanceCalendar(windows: workspace.configuration.windows, blackouts: workspace.configuration.blackouts)
            let next = calendar.openings(after: Date(), count: 1).first.map { Windows.describe($0) }
            document = StateFile.Document(pid: 0, updatedAt: Timestamp.iso8601(Date()), summary: view.summary, view: view, nextWindow: next)
        }
        let state = document!
        if output.json {
            try Output.json(StatusReport(state: state, source: source, configurationError: nil))
        } else {
            print(StatusText.render(state, source: source))
        }
        if exitCode && state.view.hasPendingWork { throw ExitCode(3) }
    }
}

extension Status {
    /// Prints the running daemon's state with a note about the broken file, when the
    /// state file can be found without the configuration (its `state_file` or `database`
    /// key read leniently, `StateFileLocation`) and its daemon is alive. The caller then
    /// exits 2 with the configuration error.
    func reportWithBrokenConfiguration(_ error: CLIError) throws {
        guard let location = StateFileLocation.find(configPath: common.config, databaseOverride: common.database),
              let state = try? StateFile(path: location).read(), StateFile.isAlive(state) else { return }
        if output.json {
            try Output.json(StatusReport(state: state, source: "daemon", configurationError: error.message))
        } else {
            print(StatusText.render(state, source: "daemon"))
            if let loaded = state.configuration {
                print("running with the configuration loaded \(loaded.loadedAt)\(loaded.path.map { " from \($0)" } ?? ""): database \(loaded.database), versions \(loaded.versions), windows \(loaded.windows.joined(separator: ", ")), \(loaded.blackouts) blackout(s)")
            }
            print("the configuration file has an error; the daemon keeps its last good configuration until it is fixed and reloaded:")
        }
    }
}

/// Where the daemon's state file is when the configuration file cannot be parsed: its
/// top-level `state_file` (else `database` + `.sluice-state.json`) read line by line, as
/// plain `key = "value"` lines before the first table, relative to the file.
enum StateFileLocation {
    /// The state file's path, or `nil` when the file gives no clue.
    static func find(configPath: String?, databaseOverride: String?) -> String? {
        let cwd = PathText.currentDirectory()
        guard let config = configPath.map({ PathText.resolve($0, relativeTo: cwd) })
                ?? Workspace.defaultConfigurationPaths.map({ PathText.resolve($0, relativeTo: cwd) }).first(where: PathText.exists),
              let data = FileManager.default.contents(atPath: config) else { return nil }
        let base = PathText.parent(of: config)
        var values: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let trimmed = trim(line)
            if trimmed.hasPrefix("[") { break }
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trim(trimmed[..<equals])
            let value = trim(trimmed[trimmed.index(after: equals)...])
            guard key == "state_file" || key == "database", value.hasPrefix("\""),
                  let close = value.dropFirst().firstIndex(of: "\"") else { continue }
            values[String(key)] = String(value[value.index(after: value.startIndex)..<close])
        }
        if let stateFile = values["state_file"] { return PathText.resolve(stateFile, relativeTo: base) }
        if let database = databaseOverride.map({ PathText.resolve($0, relativeTo: cwd) }) ?? values["database"].map({ PathText.resolve($0, relativeTo: base) }) {
            return database + ".sluice-state.json"
        }
        return nil
    }

    private static func trim(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
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
