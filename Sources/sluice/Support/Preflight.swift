import SluiceCore
import SluiceDaemon
import SluiceSQLite

/// The validation every applying command (`init`, `upgrade`, `downgrade`, `reset`) runs
/// under the lock, before the first statement touches the database: the same checks as
/// `check` and the daemon (SPEC §4, §5), so the command line can never apply what the
/// daemon would reject.
///
/// - The files of the plan pass `strict_permissions` (regular files, not writable by
///   group or others, owned by root or this user), as the daemon requires.
/// - Applied history is intact: no applied revision's file changed or vanished (the
///   daemon holds its whole queue then).
/// - The plan is rehearsed on a private copy of the database (`PlanRehearsal`): the
///   round trip, the destructive-change check and the policy for every revision.
///
/// `--skip-rehearsal` skips only the rehearsal, loudly: the destructive-change check then
/// runs inside the real transaction instead, the policy still holds on every statement,
/// and each `applied` row of `sluice_history` says the rehearsal was skipped.
struct Preflight {
    let workspace: Workspace
    let graph: RevisionGraph
    let skipRehearsal: Bool

    /// Validates `plans` (run one after the other) against the database `migrator`
    /// writes to, and sets the migrator up for a run without rehearsal when asked.
    /// - Throws: `CLIError.failed` listing every problem; nothing has run then.
    func validate(_ plans: [MigrationPlan], migrator: Migrator, rehearseFromEmpty: Bool = false) throws {
        let revisions = plans.flatMap { $0.steps.map(\.revision) }
        guard !revisions.isEmpty else { return }
        var problems = unsafeFiles(revisions) + HistoryIntegrity.problems(in: migrator.connection, graph: graph, versionTable: workspace.versionTable)
        if skipRehearsal {
            Output.error("warning: the rehearsal is skipped (--skip-rehearsal): the round trip and the real-data check do not run; destructive changes are still refused, inside the transaction; sluice_history records the skip")
            migrator.lintDestructive = true
            migrator.historyNote = Self.skippedNote
        } else if problems.isEmpty {
            var rehearsal = PlanRehearsal(graph: graph, source: rehearseFromEmpty ? nil : migrator.connection,
                                          versionTable: workspace.versionTable,
                                          maxBytes: workspace.configuration.validation.rehearsalMaxBytes,
                                          policy: migrator.policy)
            rehearsal.copyLimits = workspace.configuration.backups.copyLimits
            let report: PlanRehearsal.Report
            let line = TerminalProgress()
            defer { line.finish() }
            do {
                report = try rehearsal.run(plans) { id, statement, total in
                    line.show { "rehearsing \(id): statement \(statement + 1)/\(total), \(line.elapsed.components.seconds) s" }
                }
            } catch {
                throw CLIError.failed("the rehearsal copy of \(workspace.databasePath) could not be made, so nothing was applied: \(error)")
            }
            problems += report.failures.map(\.description)
            problems += report.blocked.map { "\($0.revision.path): \($0.revision.id) was not rehearsed: it needs \($0.by), which failed above" }
            if problems.isEmpty {
                Output.error("validated: \(report.rehearsed) revision(s) rehearsed on \(Self.describe(report.copy))")
            }
        }
        guard problems.isEmpty else {
            throw CLIError.failed(problems.joined(separator: "\n")
                + "\nrefused: nothing was applied; `sluice check` and the daemon reject the same (fix the files; `--skip-rehearsal` skips only the rehearsal, see docs/commands.md)")
        }
    }

    /// The `error_text` of an `applied` row that ran without its rehearsal.
    static let skippedNote = "rehearsal skipped (--skip-rehearsal)"

    /// What the rehearsal copy held, as the output says it.
    static func describe(_ copy: Rehearsal.Copy) -> String {
        switch copy {
        case .empty: "an empty database"
        case .wholeDatabase(let bytes): "a copy of the database with its rows (\(ByteCountText.text(bytes)))"
        case .schemaOnly(let bytes): "a copy of the database's schema alone (\(ByteCountText.text(bytes)) is above rehearsal_max_bytes, so the rows were not copied)"
        case .schemaOnlyToSpareWrites(let bytes, let reason): "a copy of the database's schema alone (\(ByteCountText.text(bytes)); the rows were not copied: \(reason))"
        }
    }

    /// The plan's files that `strict_permissions` refuses, as the daemon words it.
    private func unsafeFiles(_ revisions: [Revision]) -> [String] {
        guard workspace.configuration.validation.strictPermissions else { return [] }
        let inspector = RevisionFileInspector(strictPermissions: true)
        var seen = Set<String>()
        return revisions.compactMap { revision in
            guard seen.insert(revision.path).inserted, case .rejected(let error)? = inspector.inspect(revision.path) else { return nil }
            return error.description
        }
    }
}
