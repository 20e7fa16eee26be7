import SluiceCore

/// A revision that failed on the real database, with the file, the line, the statement
/// and what became of the database.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// What the failed attempt left in the database, as sluice established it: the
    /// message states exactly this and nothing more reassuring.
    public enum Effect: Sendable, Equatable {
        /// Stopped before its first statement ran (refused, or the database was busy):
        /// the database was not touched.
        case notStarted
        /// Every statement ran inside sluice's transaction (checked after each one) and
        /// that transaction was rolled back (checked after the rollback).
        case rolledBack
        /// `Transaction: none` whose first statement failed: nothing else ran, and a
        /// failed statement leaves nothing behind.
        case firstStatementFailed
        /// Part of the revision may be in the database: a `Transaction: none` revision
        /// stopped part-way, or the transaction could not be rolled back.
        case partial
    }

    /// The revision that failed.
    public let revision: Revision
    /// Which way it ran.
    public let direction: MigrationDirection
    /// The file line of the failing statement, or of the section marker when the
    /// failure is not one statement's (foreign-key check, bookkeeping).
    public let line: Int
    /// The failing statement, when there is one.
    public let statement: String?
    /// What went wrong.
    public let reason: String
    /// Whether another connection's lock made it fail (worth retrying later).
    public let isBusy: Bool
    /// Whether it was stopped by an interrupt (shutdown).
    public let isInterrupted: Bool
    /// Whether the disk (or the database's size limit) was full: nothing is wrong with
    /// the revision, and it can run once there is space.
    public var isDiskFull: Bool = false
    /// What the attempt left behind.
    public var effect: Effect
    /// The backup taken just before a `Transaction: none` revision, to restore when it
    /// was not rolled back.
    public var backup: String? = nil
    /// The policy rule the failing statement broke, when the authorizer refused it.
    public var refusal: RevisionPolicy.Refusal? = nil

    /// Creates an error.
    public init(revision: Revision, direction: MigrationDirection, line: Int, statement: String?, reason: String,
                isBusy: Bool, isInterrupted: Bool, isDiskFull: Bool = false, effect: Effect, backup: String? = nil,
                refusal: RevisionPolicy.Refusal? = nil) {
        self.revision = revision
        self.direction = direction
        self.line = line
        self.statement = statement
        self.reason = reason
        self.isBusy = isBusy
        self.isInterrupted = isInterrupted
        self.isDiskFull = isDiskFull
        self.effect = effect
        self.backup = backup
        self.refusal = refusal
    }

    /// Whether the database is as it was before the attempt.
    public var rolledBack: Bool { effect != .partial }

    public var description: String {
        let what = "\(direction.rawValue) of \(revision.id)"
        var text = isBusy && effect == .notStarted
            ? "\(what) did not start: \(reason)"
            : "\(revision.path):\(line): \(what) failed: \(reason)"
        if let statement { text += "\n    in: \(statement)" }
        let next = isDiskFull ? "free disk space and run again" : "fix the file (or the data) and run again"
        switch effect {
        case .notStarted:
            text += isBusy
                ? "\n    not started: nothing of \(revision.id) ran; the revision is not at fault, run again once the database is free"
                : "\n    not started: nothing of \(revision.id) ran"
        case .rolledBack:
            text += "\n    rolled back: nothing of \(revision.id) was applied; \(next)"
        case .firstStatementFailed:
            text += "\n    not applied (Transaction: none): its first statement failed, so nothing of \(revision.id) changed the database; \(next)"
        case .partial:
            let restore = backup.map { "`sluice restore \($0)`" } ?? "a backup"
            let ran = revision.transactionMode == .none
                ? "NOT rolled back (Transaction: none): the statements before line \(line) were applied"
                : "NOT rolled back: the transaction sluice ran it in ended early or could not be rolled back, so part of the revision may be in the database"
            text += "\n    \(ran); nothing else runs until this is resolved: restore the backup taken just before it with \(restore), or finish the work by hand and `sluice stamp \(revision.id)`"
        }
        return text
    }
}
