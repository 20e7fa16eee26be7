import Foundation
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
    private var refusal: String?

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

    /// Applies the steps in order and stops at the first failure.
    /// - Parameter willRun: told before each step starts (for progress output and logs).
    /// - Returns: the steps applied.
    /// - Throws: `PartialMigrationError` with what applied before the failure.
    @discardableResult
    public func apply(_ plan: MigrationPlan, willRun: (MigrationStep, Int) -> Void = { _, _ in }) throws(PartialMigrationError) -> [MigrationStep] {
        var done: [MigrationStep] = []
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
    /// - Throws: `MigrationError` naming the file, line and statement.
    public func apply(_ step: MigrationStep) throws(MigrationError) {
        let revision = step.revision
        let section = step.section ?? SQLSection(sql: "", firstLine: revision.upgrade.markerLine, markerLine: revision.upgrade.markerLine)
        let total = SQLSplitter.statements(in: section).count
        let started = Date()
        var run = 0
        func failure(line: Int, statement: String?, reason: String, busy: Bool = false, interrupted: Bool = false, rolledBack: Bool = true) -> MigrationError {
            MigrationError(revision: revision, direction: step.direction, line: line, statement: statement, reason: reason,
                           isBusy: busy, isInterrupted: interrupted, rolledBack: rolledBack)
        }
        func record(_ outcome: HistoryRecord.Outcome, line: Int? = nil, error: String? = nil) -> HistoryRecord {
            HistoryRecord(revision: revision.id, direction: step.direction == .upgrade ? .upgrade : .downgrade,
                          checksum: revision.checksum, file: revision.path, startedAt: started, finishedAt: Date(),
                          outcome: outcome, statementsRun: run, statementsTotal: total, errorLine: line, errorText: error,
                          trigger: trigger)
        }

        let foreignKeysWereOn: Bool
        do {
            foreignKeysWereOn = try connection.scalar("PRAGMA foreign_keys")?.integer == 1
            if foreignKeysWereOn { try connection.execute("PRAGMA foreign_keys = OFF") }
        } catch {
            throw failure(line: section.markerLine, statement: nil, reason: error.description, busy: error.isBusy)
        }
        defer { if foreignKeysWereOn { try? connection.execute("PRAGMA foreign_keys = ON") } }

        let transactional = revision.transactionMode == .perMigration
        do {
            if transactional { try connection.execute("BEGIN IMMEDIATE") }
        } catch {
            throw failure(line: section.markerLine, statement: nil, reason: "cannot start the transaction: \(error)", busy: error.isBusy)
        }

        var thrown: MigrationError?
        var line = 0
        refusal = nil
        connection.setAuthorizer { [unowned self] event in
            self.observeAuthorization?(line, event)
            if let reason = self.policy.refusal(of: event) {
                self.refusal = reason
                return .deny
            }
            return .allow
        }
        do {
            run = try connection.runScript(section) { line = $0 }
            connection.setAuthorizer(nil)
        } catch {
            connection.setAuthorizer(nil)
            run = error.statementsRun
            thrown = failure(line: error.line, statement: error.statement, reason: refusal ?? error.error.message,
                             busy: error.error.isBusy, interrupted: error.error.isInterrupt, rolledBack: transactional || run == 0)
        }
        if thrown == nil {
            do {
                if !transactional { try connection.execute("BEGIN IMMEDIATE") }
                let violations = try connection.rows("PRAGMA foreign_key_check")
                if !violations.isEmpty {
                    let shown = violations.prefix(3).map { "\($0[0]) rowid \($0[1]) references missing \($0[2])" }.joined(separator: "; ")
                    thrown = failure(line: section.markerLine, statement: nil,
                                     reason: "PRAGMA foreign_key_check found \(violations.count) violation(s) after the statements: \(shown)",
                                     rolledBack: transactional)
                } else {
                    try versionTable.transition(from: step.headsBefore, to: step.headsAfter, in: connection)
                    try history.append(record(.applied), in: connection)
                    try connection.execute("COMMIT")
                    return
                }
            } catch {
                thrown = failure(line: section.markerLine, statement: nil, reason: "bookkeeping failed: \(error)",
                                 busy: error.isBusy, interrupted: error.isInterrupt, rolledBack: transactional)
            }
        }
        if connection.isInTransaction { try? connection.execute("ROLLBACK") }
        let error = thrown!
        // The failed attempt is recorded after the rollback, in its own transaction.
        try? connection.execute("BEGIN IMMEDIATE")
        if (try? history.append(record(.failed, line: error.line, error: error.reason), in: connection)) != nil {
            try? connection.execute("COMMIT")
        } else if connection.isInTransaction {
            try? connection.execute("ROLLBACK")
        }
        throw error
    }

    /// Sets the version table to `heads` without running anything, recording a `stamp`
    /// row for each revision newly marked as applied.
    public func stamp(to heads: [String], from current: [String], added: [Revision]) throws(SQLiteError) {
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
