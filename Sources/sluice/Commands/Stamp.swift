import ArgumentParser
import SluiceCore
import SluiceSQLite

/// `sluice stamp TARGET [--purge]`: set the version table without running anything.
struct Stamp: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set the version table to TARGET without running any SQL.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var target: TargetArgument
    @Flag(name: .long, help: "Empty the version table first, even if it names unknown revisions.") var purge = false

    func run() throws {
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let text = try target.target(default: nil)
        let session = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        let migrator = session.migrator
        let stored = try Run.sqlite { try migrator.currentHeads() }
        let current = purge ? [] : stored
        let applied: Set<String>
        do { applied = try graph.appliedSet(current: current) } catch { throw CLIError.failed("\(error)") }
        let targets = try graph.resolveTarget(text, current: current)

        // Down to an applied revision: drop what lies above it; else add the target's
        // ancestry to what is applied (Alembic's stamp on other branches keeps them).
        var next: Set<String>
        if targets.isEmpty {
            next = []
        } else if targets.allSatisfy(applied.contains) {
            next = applied.subtracting(graph.descendants(of: targets).subtracting(targets))
        } else {
            next = applied.union(graph.ancestors(of: targets))
        }
        let heads = graph.versionHeads(of: next)
        let removed = graph.sorted(applied.subtracting(next))
        if purge && !stored.isEmpty { Output.error("purging \(graph.versionTable(stored))") }
        if !removed.isEmpty { Output.error("stamp marks as not applied (no SQL runs): \(removed.joined(separator: ", "))") }
        let added = graph.sorted(next.subtracting(applied)).compactMap { graph[$0] }
        do {
            try migrator.stamp(to: heads, from: stored, added: added)
        } catch {
            throw CLIError.failed("\(error)")
        }
        print(heads.isEmpty ? "base" : heads.joined(separator: "\n"))
    }
}

extension RevisionGraph {
    /// Version rows as text for messages.
    func versionTable(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ", ") }
}
