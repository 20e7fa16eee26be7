import ArgumentParser
import SluiceCore
import SluiceSQLite

/// `sluice stamp TARGET... [--purge]`: set the version table without running anything,
/// leaving Alembic's rows: the current rows in each target's lineage are replaced by the
/// target, rows on unrelated branches stay.
struct Stamp: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set the version table to TARGET(s) without running any SQL, as Alembic's stamp does.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @Argument(parsing: .allUnrecognized, help: "One or more targets: revision ids or prefixes, labels, label@head, heads, base.")
    var targets: [String] = []
    @Flag(name: .long, help: "Empty the version table first, even if it names unknown revisions.") var purge = false

    func run() throws {
        if let option = targets.first(where: { $0.hasPrefix("--") }) {
            throw CLIError.usage("unknown option \(option); see --help")
        }
        guard !targets.isEmpty else { throw CLIError.usage("a target is required (for example `heads`, `base` or a revision id)") }
        let workspace = try Workspace(common)
        let graph = try workspace.graph()
        let session = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        let migrator = session.migrator
        let stored = try Run.sqlite { try migrator.currentHeads() }
        let current = purge ? [] : stored
        let appliedBefore: Set<String>
        do { appliedBefore = try graph.appliedSet(current: current) } catch { throw CLIError.failed("\(error)") }
        let rows: [String]
        do {
            rows = try AlembicCommands(graph).stampRows(current: current, targets: targets, purge: purge)
        } catch {
            throw CLIError.failed("\(error)")
        }
        let appliedAfter = (try? graph.appliedSet(current: rows)) ?? Set(rows)
        let removed = graph.sorted(appliedBefore.subtracting(appliedAfter))
        if purge && !stored.isEmpty { Output.error("purging \(graph.versionTable(stored))") }
        if !removed.isEmpty { Output.error("stamp marks as not applied (no SQL runs): \(removed.joined(separator: ", "))") }
        let added = graph.sorted(appliedAfter.subtracting(appliedBefore)).compactMap { graph[$0] }
        do {
            try migrator.stamp(to: rows, from: stored, added: added, removed: removed)
        } catch {
            throw CLIError.failed("\(error)")
        }
        print(rows.isEmpty ? "base" : rows.joined(separator: "\n"))
    }
}

extension RevisionGraph {
    /// Version rows as text for messages.
    func versionTable(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ", ") }
}
