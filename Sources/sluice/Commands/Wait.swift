import ArgumentParser
import FoundationEssentials
import Glibc
import SluiceConfig
import SluiceCore
import SluiceDaemon
import SluiceOS
import SluiceSQLite
import SluiceWatch
import Synchronization

/// `sluice wait [TARGET] [--timeout D]`: blocks until the database is at TARGET, for
/// application units that must not start against an older schema
/// (`ExecStartPre=sluice wait --timeout 5m`). Exits 0 once it is there, 1 as soon as it
/// cannot get there without someone acting (a revision on the way rejected, held or
/// failed), 3 when the timeout runs out first, 2 for bad usage. Waits on inotify (the
/// database and its journals, the daemon's state file, the versions directory), never
/// by polling.
struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Block until the database is at TARGET (default: every head); for application units.",
        discussion: "Exit status: 0 at TARGET; 1 a revision on the way is rejected, held or failed; 3 the timeout ran out; 2 bad usage.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "The revision, label or `heads` to wait for (default: every head).") var target: String?
    @Option(name: .long, help: "Give up after this long (e.g. 5m) and exit 3; default: wait for ever.") var timeout: String?

    /// The exit status when the timeout runs out: the database may still get there.
    static let timedOut: Int32 = 3

    private enum Wake: Sendable { case changed, timedOut }

    func run() async throws {
        let workspace = try Workspace(common)
        var limit: Duration?
        if let timeout {
            guard let parsed = DurationText.parse(timeout) else {
                throw CLIError.usage("--timeout \(timeout): not a duration; write e.g. 30s, 5m or 1h")
            }
            limit = parsed
        }
        let settings = DaemonSettings(configuration: workspace.configuration, databasePath: workspace.databasePath, versionsPath: workspace.versionsPath)
        // The watches go in before the first look, so nothing slips between them.
        let watches = try WaitWatches(database: settings.databasePath, stateFile: settings.stateFilePath, versions: settings.versionsPath)
        defer { watches.stop() }
        let onTerminal = isatty(STDERR_FILENO) == 1
        var said: String?
        var lastReason: String?
        let outcome: WaitVerdict? = try await withThrowingTaskGroup(of: Void.self) { group in
            let (wakes, wake) = AsyncStream.makeStream(of: Wake.self, bufferingPolicy: .bufferingNewest(1))
            group.addTask { for await _ in watches.database.changes { wake.yield(.changed) } }
            group.addTask { for await _ in watches.state.changes { wake.yield(.changed) } }
            group.addTask {
                for await _ in watches.versions.batches {
                    watches.versionsChanged.store(true, ordering: .releasing)
                    wake.yield(.changed)
                }
            }
            if let limit {
                group.addTask {
                    try await Task.sleep(for: limit)
                    wake.yield(.timedOut)
                }
            }
            defer { group.cancelAll() }
            // The graph is read again only when the versions directory changed: the
            // database's watch fires at every write of a busy application.
            var graph = Self.graph(workspace)
            var verdict = try Self.look(workspace: workspace, graph: graph, target: target, stateFile: settings.stateFilePath)
            var iterator = wakes.makeAsyncIterator()
            while case .waiting(let reason) = verdict {
                lastReason = reason
                if onTerminal, reason != said {
                    Output.error("waiting: \(reason)")
                    said = reason
                }
                guard let next = await iterator.next(), next == .changed else { return nil }
                if watches.versionsChanged.exchange(false, ordering: .acquiring) { graph = Self.graph(workspace) }
                verdict = try Self.look(workspace: workspace, graph: graph, target: target, stateFile: settings.stateFilePath)
            }
            return verdict
        }
        switch outcome {
        case .reached?:
            if onTerminal { Output.error("at \(target ?? "every head")") }
        case .blocked(let reason)?:
            throw CLIError.failed("cannot reach \(target ?? "every head") without someone acting: \(reason)")
        case .waiting?, nil:
            Output.error("timed out after \(timeout ?? "") waiting for \(target ?? "every head")\(lastReason.map { ": \($0)" } ?? "")")
            throw ExitCode(Self.timedOut)
        }
    }

    /// The versions directory's usable graph (files that do not parse left out).
    private static func graph(_ workspace: Workspace) -> RevisionGraph {
        let loaded = (try? VersionsDirectory.load(workspace.versionsPath)) ?? LoadedVersions()
        return RevisionGraph.analyze(loaded.revisions).graph
    }

    /// Reads the version rows and the daemon's state once and judges them with `graph`.
    private static func look(workspace: Workspace, graph: RevisionGraph, target: String?, stateFile: String) throws -> WaitVerdict {
        let current = try workspace.currentHeads()
        let state = (try? StateFile(path: stateFile).read()).flatMap { StateFile.isAlive($0) ? $0 : nil }
        do {
            return try WaitVerdict.judge(target: target, graph: graph, current: current, state: state)
        } catch {
            throw CLIError.usage("\(target ?? ""): \(error)")
        }
    }
}

/// The inotify watches `sluice wait` sleeps on: the database's directory (the database
/// and its journals), the state file's directory, and the versions directory.
private final class WaitWatches: Sendable {
    let database: DatabaseWatcher
    /// The state file is written like a database (replaced by a rename): the same watch
    /// on its name serves.
    let state: DatabaseWatcher
    let versions: DirectoryWatcher
    /// Set when the versions directory changed since the graph was last read.
    let versionsChanged = Atomic<Bool>(false)

    init(database path: String, stateFile: String, versions directory: String) throws {
        database = try DatabaseWatcher(database: path)
        state = try DatabaseWatcher(database: stateFile)
        versions = try DirectoryWatcher(directory: directory, settle: .milliseconds(100))
        database.start()
        state.start()
        versions.start()
    }

    func stop() {
        database.stop()
        state.stop()
        versions.stop()
    }
}
