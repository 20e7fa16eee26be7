import FoundationEssentials
import SluiceCore

/// Applies migration steps to a real database, each revision whole or not at all.
///
/// A per-migration revision runs as `BEGIN IMMEDIATE` … statements …
/// `PRAGMA foreign_key_check` … version-table update … history row … `COMMIT`; a failed
/// one is rolled back and then recorded as failed. Foreign-key enforcement is switched
/// off outside the transaction while a revision runs and restored afterwards, because it
/// cannot change inside a transaction and a table rebuild would otherwise fire
/// `ON DELETE CASCADE`.
public final class Migrator {
    /// The connection to the real database; the caller holds the `DatabaseLock`.
    public let connection: Connection
    /// The version table in use.
    public let versionTable: VersionTable
    /// Who runs the migrations, written to `sluice_history`.
    public let trigger: HistoryRecord.Trigger
    let history = HistoryTable()
    /// What revisions may not do; enforced by the authorizer while their statements run.
    public var policy = RevisionPolicy()
    /// Told of every authorizer event of a revision's statements, with the statement's
    /// file line (rehearsals use it to find drops and `PRAGMA foreign_keys`).
    public var observeAuthorization: ((Int, AuthorizerEvent) -> Void)?
    /// Where the backup taken just before each `Transaction: none` revision goes (such a
    /// revision cannot be rolled back, so the backup is the way back); `nil` only on a
    /// rehearsal copy, which is thrown away anyway.
    public var backups: BackupStore?
    /// Set when the upgrade is not rehearsed first (`--skip-rehearsal`): then the
    /// destructive-change check runs inside the real transaction, on the statements'
    /// authorizer events and the schema before and after, and a loss rolls it back.
    public var lintDestructive = false
    /// A note written into the `error_text` of each `applied` row (why this run differs
    /// from a normal one, e.g. that the rehearsal was skipped at the user's request).
    public var historyNote: String?
    /// Told `(index, total)` before each statement of a revision runs, for progress.
    public var willRunStatement: ((Int, Int) -> Void)?
    /// Facts of unchanged schema objects, so the check costs a `sqlite_master` read per
    /// revision, not a walk of every table.
    private let lintCache = SchemaSnapshot.Cache()
    private var refusal: RevisionPolicy.Refusal?
    private var checkedForUnfinished = false
    /// Set while `apply(_ plan:)` keeps foreign-key enforcement off for the whole batch:
    /// switching it costs a pass over every table's foreign keys, twice per revision.
    private var foreignKeysOffForBatch = false

    /// Creates a migrator over an open read-write connection.
    public init(connection: Connection, versionTable: VersionTable, trigger: HistoryRecord.Trigger) {
        self.connection = connection
        self.versionTable = versionTable
        self.trigger = trigger
    }

    /// Creates the version and history tables unless they exist.
    public func prepareTables() throws(SQLiteError) {
        if try connection.tableExists(versionTable.name), try connection.tableExists(HistoryTable.name) { return }
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try versionTable.create(in: connection)
            try history.create(in: connection)
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// The current `alembic_version` rows.
    public func currentHeads() throws(SQLiteError) -> [String] {
        try versionTable.heads(in: connection)
    }

    /// The `alembic_version` rows in the table's own order, as Alembic reads them.
    public func currentRowsAsStored() throws(SQLiteError) -> [String] {
        try versionTable.rowsAsStored(in: connection)
    }

    /// Applies the steps in order and stops at the first failure.
    /// - Parameter willRun: told before each step starts (for progress output and logs).
    /// - Returns: the steps applied.
    /// - Throws: `PartialMigrationError` with what applied before the failure.
    @discardableResult
    public func apply(_ plan: MigrationPlan, willRun: (MigrationStep, Int) -> Void = { _, _ in }) throws(PartialMigrationError) -> [MigrationStep] {
        var done: [MigrationStep] = []
        // Nothing but these revisions runs on this connection meanwhile, so switching
        // enforcement off once for the batch is the same as around each revision.
        if !foreignKeysOffForBatch, (try? connection.scalar("PRAGMA foreign_keys")?.integer) == 1,
           (try? connection.execute("PRAGMA foreign_keys = OFF")) != nil {
            foreignKeysOffForBatch = true
        }
        defer {
            if foreignKeysOffForBatch {
                foreignKeysOffForBatch = false
                try? connection.execute("PRAGMA foreign_keys = ON")
            }
        }
        for (index, step) in plan.steps.enumerated() {
            willRun(step, index)
            do {
                try apply(step)
            } catch {
                throw PartialMigrationError(applied: done, failure: error)
            }
            done.append(step)
        }
        return done
    }

    /// Applies one step.
    /// - Throws: `MigrationError` naming the file, line and statement, and saying what
    ///   the attempt left in the database (checked, not assumed).
    public func apply(_ step: MigrationStep) throws(MigrationError) {
        let revision = step.revision
        let section = step.section ?? SQLSection(sql: "", firstLine: revision.upgrade.markerLine, markerLine: revision.upgrade.markerLine)
        let total = SQLSplitter.statements(in: section).count
        let started = Date()
        var run = 0
        let transactional = revision.transactionMode == .perMigration
        func failure(line: Int, statement: String?, reason: String, busy: Bool = false, interrupted: Bool = false,
                     full: Bool = false, effect: MigrationError.Effect) -> MigrationError {
            MigrationError(revision: revision, direction: step.direction, line: line, statement: statement, reason: reason,
                           isBusy: busy, isInterrupted: interrupted, isDiskFull: full, effect: effect)
        }
        func record(_ outcome: HistoryRecord.Outcome, line: Int? = nil, error: String? = nil) -> HistoryRecord {
            HistoryRecord(revision: revision.id, direction: step.direction == .upgrade ? .upgrade : .downgrade,
                          checksum: revision.checksum, file: revision.path, startedAt: started, finishedAt: Date(),
                          outcome: outcome, statementsRun: run, statementsTotal: total, errorLine: line, errorText: error,
                          trigger: trigger)
        }

        if let line = revision.placeholderLine {
            // The last line of defence (`--skip-rehearsal`, a rehearsal copy): nothing of
            // a placeholder runs, and nothing is recorded.
            throw MigrationError(revision: revision, direction: step.direction, line: line, statement: nil,
                                 reason: PlaceholderMarker.reason, isBusy: false, isInterrupted: false, effect: .notStarted)
        }
        try refuseIfUnfinished(step, line: section.markerLine)
        var backupPath: String?
        var attempt: Int64?
        if !transactional {
            (backupPath, attempt) = try beginOutsideTransaction(step, line: section.markerLine,
                                                                record: { record(.failed, error: $0) })
        }

        let foreignKeysWereOn: Bool
        do {
            if foreignKeysOffForBatch {
                foreignKeysWereOn = false
            } else {
                foreignKeysWereOn = try connection.scalar("PRAGMA foreign_keys")?.integer == 1
            }
            if foreignKeysWereOn { try connection.execute("PRAGMA foreign_keys = OFF") }
        } catch {
            throw failure(line: section.markerLine, statement: nil, reason: error.description, busy: error.isBusy, effect: .notStarted)
        }
        defer { if foreignKeysWereOn { try? connection.execute("PRAGMA foreign_keys = ON") } }

        do {
            if transactional { try connection.execute("BEGIN IMMEDIATE") }
        } catch {
            // Nothing ran, so nothing is recorded either: a busy database is not an attempt.
            throw failure(line: section.markerLine, statement: nil,
                          reason: error.isBusy ? busyReason(error) : "cannot start the transaction: \(error)",
                          busy: error.isBusy, effect: .notStarted)
        }

        var thrown: MigrationError?
        var line = 0
        refusal = nil
        // Only DROP TABLE, ALTER TABLE … DROP COLUMN and rebuilds lose tables or columns,
        // and each needs one of these words: a revision without them is not checked.
        let lint = lintDestructive && step.direction == .upgrade && !revision.destructiveAllowed
            && Self.mayDropSomething(section.sql)
        var events: [(line: Int, event: AuthorizerEvent)] = []
        let schemaBefore = lint ? try? SchemaSnapshot.capture(connection, excluding: [versionTable.name, HistoryTable.name], cache: lintCache) : nil
        connection.setAuthorizer { [unowned self] event in
            self.observeAuthorization?(line, event)
            if lint, line > 0 { events.append((line, event)) }
            if let refused = self.policy.refusal(of: event, transactional: transactional) {
                self.refusal = refused
                return .deny
            }
            return .allow
        }
        do {
            var index = 0
            run = try connection.runScript(section, insideTransaction: transactional) {
                line = $0
                willRunStatement?(index, total)
                index += 1
            }
            connection.setAuthorizer(nil)
        } catch {
            connection.setAuthorizer(nil)
            run = error.statementsRun
            let effect: MigrationError.Effect = error.endedTransaction ? .partial
                : transactional ? .rolledBack : (run == 0 ? .firstStatementFailed : .partial)
            thrown = failure(line: error.line, statement: error.statement, reason: refusal?.reason ?? error.error.message,
                             busy: error.error.isBusy, interrupted: error.error.isInterrupt, full: error.error.isFull,
                             effect: effect)
            thrown?.refusal = refusal
        }
        if thrown == nil, lint, let schemaBefore {
            if let after = try? SchemaSnapshot.capture(connection, excluding: [versionTable.name, HistoryTable.name], cache: lintCache),
               case let losses = DestructiveChange.losses(before: schemaBefore, after: after, events: events,
                                                          renames: SQLSplitter.statements(in: section).compactMap { AlterTableRename(sql: $0.sql) }),
               let first = losses.first {
                thrown = failure(line: first.line ?? section.markerLine, statement: nil,
                                 reason: "the upgrade drops data: \(losses.map(\.what).joined(separator: "; ")). If that is intended, add `-- Destructive: allowed` to the header",
                                 effect: transactional ? .rolledBack : .partial)
            }
        }
        if thrown == nil {
            let effectOfLateFailure: MigrationError.Effect = transactional ? .rolledBack : .partial
            do {
                if !transactional { try connection.execute("BEGIN IMMEDIATE") }
                let violations = try connection.rows("PRAGMA foreign_key_check")
                if !violations.isEmpty {
                    let shown = violations.prefix(3).map { "\($0[0]) rowid \($0[1]) references missing \($0[2])" }.joined(separator: "; ")
                    thrown = failure(line: section.markerLine, statement: nil,
                                     reason: "PRAGMA foreign_key_check found \(violations.count) violation(s) after the statements: \(shown)",
                                     effect: effectOfLateFailure)
                } else {
                    try versionTable.transition(from: step.headsBefore, to: step.headsAfter, in: connection)
                    let applied = record(.applied, error: historyNote)
                    if let attempt {
                        try history.finish(attempt, as: applied, in: connection)
                    } else {
                        try history.append(applied, in: connection)
                    }
                    do {
                        try connection.execute("COMMIT")
                    } catch {
                        thrown = failure(line: section.markerLine, statement: nil, reason: "the commit failed: \(error)",
                                         busy: error.isBusy, interrupted: error.isInterrupt, full: error.isFull, effect: effectOfLateFailure)
                    }
                    if thrown == nil { return }
                }
            } catch {
                thrown = failure(line: section.markerLine, statement: nil, reason: "bookkeeping failed: \(error)",
                                 busy: error.isBusy, interrupted: error.isInterrupt, full: error.isFull, effect: effectOfLateFailure)
            }
        }
        var error = thrown!
        if connection.isInTransaction {
            // A rollback that fails leaves the transaction open: nothing that says
            // "nothing was applied" can be claimed then (closing the connection rolls
            // back what is left, but that is not checked here).
            try? connection.execute("ROLLBACK")
        }
        if connection.isInTransaction, transactional { error.effect = .partial }
        if error.isDiskFull {
            // A rolled-back write can leave the WAL file at its full size; give the space
            // back when no reader needs it.
            _ = try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        error.backup = backupPath
        // The failed attempt is recorded after the rollback, in its own transaction; one
        // that left part of the revision keeps the marker that holds everything else back.
        let text = error.rolledBack ? error.reason
            : UnfinishedRevision.errorText("stopped after \(run) of \(total) statements: \(error.reason)", backup: backupPath)
        let failed = record(.failed, line: error.line, error: text)
        try? connection.execute("BEGIN IMMEDIATE")
        let recorded: Bool
        if let attempt {
            recorded = (try? history.finish(attempt, as: failed, in: connection)) != nil
        } else {
            recorded = (try? history.append(failed, in: connection)) != nil
        }
        if recorded {
            try? connection.execute("COMMIT")
        } else if connection.isInTransaction {
            try? connection.execute("ROLLBACK")
        }
        throw error
    }

    /// Whether `sql` contains `DROP` or `ALTER` in any case (comments and strings
    /// included: a false alarm only costs the check).
    static func mayDropSomething(_ sql: String) -> Bool {
        let bytes = Array(sql.utf8)
        func matches(_ word: [UInt8], at index: Int) -> Bool {
            guard index + word.count <= bytes.count else { return false }
            for offset in 0..<word.count where bytes[index + offset] | 0x20 != word[offset] { return false }
            return true
        }
        let drop = Array("drop".utf8), alter = Array("alter".utf8)
        for index in bytes.indices where bytes[index] | 0x20 == 0x64 || bytes[index] | 0x20 == 0x61 {
            if matches(drop, at: index) || matches(alter, at: index) { return true }
        }
        return false
    }

    /// What to say when SQLite's lock kept the revision from starting: the database is
    /// busy, which is nobody's revision's fault.
    private func busyReason(_ error: SQLiteError) -> String {
        var text = "\(connection.path) is locked by another connection (\(error.message))"
        if let holder = SQLiteLockHolders.describe(databasePath: connection.path) { text += ": \(holder)" }
        return text + "; waited the whole lock timeout"
    }

    /// Refuses to run anything while a `Transaction: none` revision is unfinished; checked
    /// once per migrator (it is the only writer while it holds the lock).
    private func refuseIfUnfinished(_ step: MigrationStep, line: Int) throws(MigrationError) {
        guard !checkedForUnfinished else { return }
        let unfinished: UnfinishedRevision?
        do {
            unfinished = try history.unfinished(in: connection)
        } catch {
            throw MigrationError(revision: step.revision, direction: step.direction, line: line, statement: nil,
                                 reason: "cannot read \(HistoryTable.name): \(error)", isBusy: error.isBusy, isInterrupted: false, effect: .notStarted)
        }
        if let unfinished {
            throw MigrationError(revision: step.revision, direction: step.direction, line: line, statement: nil,
                                 reason: "refused: \(unfinished.description)", isBusy: false, isInterrupted: false, effect: .notStarted,
                                 backup: unfinished.backup)
        }
        checkedForUnfinished = true
    }

    /// Before a revision that runs outside a transaction: the backup to come back to,
    /// then its attempt row, committed as unfinished so that a kill part-way leaves the
    /// marker behind.
    private func beginOutsideTransaction(_ step: MigrationStep, line: Int, record: (String) -> HistoryRecord) throws(MigrationError) -> (String?, Int64) {
        func refused(_ reason: String, busy: Bool = false) -> MigrationError {
            MigrationError(revision: step.revision, direction: step.direction, line: line, statement: nil,
                           reason: reason, isBusy: busy, isInterrupted: false, effect: .notStarted)
        }
        var backupPath: String?
        if let backups {
            do {
                backupPath = try backups.backup(connection, before: [step.revision.id])
            } catch {
                throw refused("Transaction: none revisions need a backup first, and it failed: \(error)")
            }
        }
        do {
            try connection.execute("BEGIN IMMEDIATE")
            let id = try history.begin(record(UnfinishedRevision.errorText("interrupted while running outside a transaction", backup: backupPath)), in: connection)
            try connection.execute("COMMIT")
            return (backupPath, id)
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            throw refused("cannot record the attempt: \(error)", busy: error.isBusy)
        }
    }

    /// Sets the version table to `heads` without running anything, recording a `stamp`
    /// row for each revision newly marked as applied.
    /// - Parameters:
    ///   - added: revisions the stamp marks as applied: each gets a `stamp` row with its
    ///     checksum, so later edits of its file are caught.
    ///   - removed: revisions the stamp marks as not applied: each gets a `stamp` row
    ///     without a checksum ("marked not applied"), so the history agrees with the table.
    public func stamp(to heads: [String], from current: [String], added: [Revision], removed: [String] = []) throws(SQLiteError) {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            if current.isEmpty || Set(current) != Set(heads) {
                try versionTable.replace(with: heads, in: connection)
            }
            let now = Date()
            for revision in added {
                try history.append(HistoryRecord(revision: revision.id, direction: .stamp, checksum: revision.checksum, file: revision.path,
                                                 startedAt: now, finishedAt: now, outcome: .applied, statementsRun: 0,
                                                 statementsTotal: 0, trigger: trigger), in: connection)
            }
            for revision in removed {
                try history.append(HistoryRecord(revision: revision, direction: .stamp, checksum: nil, file: nil,
                                                 startedAt: now, finishedAt: now, outcome: .applied, statementsRun: 0,
                                                 statementsTotal: 0, errorText: HistoryTable.markedNotApplied,
                                                 trigger: trigger), in: connection)
            }
            // A stamp is how an operator says an unfinished revision was dealt with by hand.
            if let unfinished = try history.unfinished(in: connection), !added.contains(where: { $0.id == unfinished.revision }) {
                try history.append(HistoryRecord(revision: unfinished.revision, direction: .stamp, checksum: nil, file: nil,
                                                 startedAt: now, finishedAt: now, outcome: .applied, statementsRun: 0,
                                                 statementsTotal: 0, errorText: "unfinished \(unfinished.direction) resolved by stamp",
                                                 trigger: trigger), in: connection)
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}

/// A batch that stopped at a failed revision: what applied before it, and the failure.
public struct PartialMigrationError: Error, Sendable, CustomStringConvertible {
    /// The steps applied before the failure, in order.
    public let applied: [MigrationStep]
    /// The failure itself.
    public let failure: MigrationError

    public var description: String {
        var text = failure.description
        if !applied.isEmpty {
            text += "\n    applied before the failure: \(applied.map(\.revision.id).joined(separator: ", "))"
        }
        return text
    }
}
