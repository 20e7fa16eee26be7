import SluiceCore

/// The validation a generated revision passes before it is written: the rehearsal every
/// revision gets (SPEC §5: policy, upgrade, downgrade with the schema compared, upgrade
/// again, the destructive-change check), on the schema the history produces; then proof
/// that it does what it was generated for: its upgrade gives exactly the desired schema
/// and its downgrade exactly the one it started from, by the rehearsal's comparison and by
/// the diff's own, which also sees constraints and column text.
public enum GeneratedRevisionCheck {
    /// Every problem found; empty when the revision may be written.
    /// - Parameters:
    ///   - revision: the parsed revision, on top of `history.heads`.
    ///   - history: the history's schema; left at `history.heads` again afterwards.
    ///   - desired: the database holding the desired schema.
    ///   - desiredExcluding: the tables of `desired` the comparison leaves out.
    public static func problems(of revision: Revision, graph: RevisionGraph, history: HistorySchema, desired: Connection,
                                desiredExcluding: Set<String>, policy: RevisionPolicy) -> [String] {
        let step = graph.step(upgrading: revision.id, from: history.heads)
        do {
            let rehearsal = try Rehearsal(copying: history.connection, maxBytes: .max, versionTable: history.versionTable)
            rehearsal.policy = policy
            try rehearsal.rehearse(step)
        } catch let failure as RehearsalFailure {
            return ["the rehearsal fails at line \(failure.line): \(failure.reason)"]
        } catch {
            return ["the rehearsal could not run: \(error)"]
        }
        var problems: [String] = []
        do {
            let before = try history.model()
            let beforeSnapshot = try SchemaSnapshot.capture(history.connection, excluding: history.ownTables)
            let migrator = Migrator(connection: history.connection, versionTable: history.versionTable, trigger: .cli)
            migrator.policy = policy
            try migrator.apply(step)
            let wanted = try SchemaModel.capture(desired, excluding: desiredExcluding)
            let reached = try history.model()
            problems += remaining(from: reached, to: wanted, after: "the upgrade")
            let (missing, extra) = try SchemaSnapshot.capture(history.connection, excluding: history.ownTables)
                .differences(from: SchemaSnapshot.capture(desired, excluding: desiredExcluding))
            if !missing.isEmpty || !extra.isEmpty {
                problems.append("after the upgrade the schema differs from the desired one: " + (missing.map { "missing \($0)" } + extra.map { "extra \($0)" }).joined(separator: "; "))
            }
            try migrator.apply(MigrationStep(revision: revision, direction: .downgrade, headsBefore: step.headsAfter, headsAfter: step.headsBefore))
            problems += remaining(from: try history.model(), to: before, after: "the downgrade")
            let restored = try SchemaSnapshot.capture(history.connection, excluding: history.ownTables).differences(from: beforeSnapshot)
            if restored != ([], []) {
                problems.append("after the downgrade the schema differs from the one it started from")
            }
        } catch {
            problems.append("the generated revision could not be checked: \(error)")
        }
        return problems
    }

    /// The revision rehearsed once more on a copy of the real database, rows included
    /// (up to `maxBytes`, its schema alone above), as the daemon will rehearse it: what
    /// only real rows can refuse (a new unique constraint on duplicate values, a foreign
    /// key the rows break) stops it before it is written rather than when it is queued.
    /// - Returns: the problem, or `nil` when it passes.
    public static func problemOnCopy(of revision: Revision, graph: RevisionGraph, database: Connection, heads: [String],
                                     versionTable: VersionTable, maxBytes: Int64, policy: RevisionPolicy) -> String? {
        do {
            let rehearsal = try Rehearsal(copying: database, maxBytes: maxBytes, versionTable: versionTable)
            rehearsal.policy = policy
            try rehearsal.rehearse(graph.step(upgrading: revision.id, from: heads))
            return nil
        } catch let failure as RehearsalFailure {
            return "on a copy of \(database.path) with its rows, the rehearsal fails at line \(failure.line): \(failure.reason)"
        } catch {
            return "the rehearsal on a copy of \(database.path) could not run: \(error)"
        }
    }

    /// What still differs after a direction ran, as the statements a diff would still want.
    private static func remaining(from reached: SchemaModel, to wanted: SchemaModel, after direction: String) -> [String] {
        guard let left = try? SchemaDiff.script(from: reached, to: wanted), !left.isEmpty else { return [] }
        return ["after \(direction) the schema still differs: " + left.steps.map(\.comment).joined(separator: "; ")]
    }
}
