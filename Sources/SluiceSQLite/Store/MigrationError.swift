import SluiceCore

/// A revision that failed on the real database, with the file, the line, the statement
/// and what became of the database.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
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
    /// Whether the database was rolled back to how it was before the revision.
    /// `false` only for a `Transaction: none` revision that failed half-way.
    public let rolledBack: Bool
    /// The backup taken just before a `Transaction: none` revision, to restore when it
    /// was not rolled back.
    public var backup: String? = nil

    public var description: String {
        var text = "\(revision.path):\(line): \(direction.rawValue) of \(revision.id) failed: \(reason)"
        if let statement { text += "\n    in: \(statement)" }
        if rolledBack {
            text += isDiskFull
                ? "\n    rolled back: nothing of \(revision.id) was applied; free disk space and run again"
                : "\n    rolled back: nothing of \(revision.id) was applied; fix the file (or the data) and run again"
        } else {
            let restore = backup.map { "`sluice restore \($0)`" } ?? "a backup"
            text += "\n    NOT rolled back (Transaction: none): the statements before line \(line) were applied; nothing else runs until this is resolved: restore the backup taken just before it with \(restore), or finish the work by hand and `sluice stamp \(revision.id)`"
        }
        return text
    }
}
