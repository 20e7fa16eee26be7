import FoundationEssentials
import SluiceCore

/// A `Transaction: none` revision that started on this database and did not finish
/// cleanly, so the database may hold part of it. Nothing else runs until it is resolved:
/// `sluice restore` of the backup taken just before it, or finishing the work by hand and
/// `sluice stamp`.
///
/// It is recorded in `sluice_history` itself: before the first statement of such a
/// revision runs, its attempt row is committed as failed with an error text that starts
/// with ``marker``; a clean finish rewrites the row, a kill leaves it as it is. A later
/// `applied` or `stamp` row for the same revision resolves it.
public struct UnfinishedRevision: Sendable, Equatable {
    /// The start of the error text of an attempt that may have left part of a revision.
    public static let marker = "not rolled back: "

    /// The revision.
    public let revision: String
    /// `upgrade` or `downgrade`.
    public let direction: String
    /// When the attempt started (as stored).
    public let startedAt: String
    /// The recorded error text, which names the backup to restore.
    public let errorText: String
    /// The backup taken just before the attempt, if one was recorded.
    public let backup: String?

    /// What an operator reads: what happened and the two ways out.
    public var description: String {
        var text = "the database may hold part of revision \(revision) (\(direction) started \(startedAt), Transaction: none, did not finish: \(errorText.dropFirst(Self.marker.count)))."
        if let backup {
            text += " Restore the backup taken just before it with `sluice restore \(backup)`"
        } else {
            text += " Restore a backup"
        }
        text += ", or finish the work by hand and run `sluice stamp \(revision)` (or `sluice stamp` the revision below it after undoing it)"
        return text
    }

    /// The error text to record for an attempt that may leave part of the revision.
    static func errorText(_ what: String, backup: String?) -> String {
        marker + what + (backup.map { "; backup before it: \($0)" } ?? "")
    }
}

extension HistoryTable {
    /// The newest unresolved unfinished revision, if any.
    public func unfinished(in connection: Connection) throws(SQLiteError) -> UnfinishedRevision? {
        guard try connection.tableExists(Self.name) else { return nil }
        let rows = try connection.rows("""
            SELECT h.revision, h.direction, h.started_at, h.error_text FROM sluice_history h
            WHERE h.outcome = 'failed' AND h.error_text LIKE 'not rolled back: %'
              AND NOT EXISTS (SELECT 1 FROM sluice_history later
                              WHERE later.id > h.id AND later.revision = h.revision AND later.outcome = 'applied')
            ORDER BY h.id DESC LIMIT 1
            """)
        guard let row = rows.first, let revision = row[0].text, let errorText = row[3].text else { return nil }
        var backup: String?
        if let range = errorText.firstRange(of: "; backup before it: ") {
            backup = String(errorText[range.upperBound...])
        }
        return UnfinishedRevision(revision: revision, direction: row[1].text ?? "upgrade", startedAt: row[2].text ?? "",
                                  errorText: errorText, backup: backup)
    }

    /// Appends an attempt and returns its row id, so the attempt can be rewritten when it ends.
    func begin(_ record: HistoryRecord, in connection: Connection) throws(SQLiteError) -> Int64 {
        try append(record, in: connection)
        return try connection.scalar("SELECT last_insert_rowid()")?.integer ?? 0
    }

    /// Rewrites the attempt `id` with how it ended.
    func finish(_ id: Int64, as record: HistoryRecord, in connection: Connection) throws(SQLiteError) {
        try connection.run("""
            UPDATE sluice_history SET finished_at = ?, duration_ms = ?, outcome = ?, statements_run = ?,
                error_line = ?, error_text = ? WHERE id = ?
            """, [
                .text(Timestamp.iso8601(record.finishedAt)), .integer(Int64(record.durationMilliseconds)), .text(record.outcome.rawValue),
                .integer(Int64(record.statementsRun)), record.errorLine.map { .integer(Int64($0)) } ?? .null,
                record.errorText.map(SQLValue.text) ?? .null, .integer(id),
            ])
    }
}
