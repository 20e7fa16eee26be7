import FoundationEssentials
import Glibc
import SluiceCore

/// `sluice_history`: one row per attempt on the real database (never on a rehearsal
/// copy), so operators can see what ran, when, from where, and how it ended.
public struct HistoryTable: Sendable {
    /// The table's name.
    public static let name = "sluice_history"
    /// The version written into every row.
    public static let sluiceVersion = SluiceVersion.current

    /// The DDL; also emitted by `--sql` so offline scripts give the same schema.
    public static let createSQL = """
        CREATE TABLE sluice_history (
            id INTEGER PRIMARY KEY,
            revision VARCHAR(32) NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp')),
            checksum TEXT,
            file TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            duration_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'failed')),
            statements_run INTEGER NOT NULL,
            statements_total INTEGER NOT NULL,
            error_line INTEGER,
            error_text TEXT,
            triggered_by TEXT NOT NULL CHECK (triggered_by IN ('daemon', 'cli')),
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            sluice_version TEXT NOT NULL
        )
        """

    /// Creates an accessor.
    public init() {}

    /// Creates the table unless it exists.
    public func create(in connection: Connection) throws(SQLiteError) {
        if try !connection.tableExists(Self.name) { try connection.execute(Self.createSQL) }
    }

    /// Appends one attempt.
    public func append(_ record: HistoryRecord, in connection: Connection) throws(SQLiteError) {
        try connection.run("""
            INSERT INTO sluice_history (revision, direction, checksum, file, started_at, finished_at, duration_ms, outcome,
                statements_run, statements_total, error_line, error_text, triggered_by, host, pid, sluice_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(record.revision), .text(record.direction.rawValue), record.checksum.map(SQLValue.text) ?? .null,
                record.file.map(SQLValue.text) ?? .null,
                .text(Timestamp.iso8601(record.startedAt)), .text(Timestamp.iso8601(record.finishedAt)),
                .integer(Int64(record.durationMilliseconds)), .text(record.outcome.rawValue),
                .integer(Int64(record.statementsRun)), .integer(Int64(record.statementsTotal)),
                record.errorLine.map { .integer(Int64($0)) } ?? .null, record.errorText.map(SQLValue.text) ?? .null,
                .text(record.trigger.rawValue), .text(Self.hostName), .integer(Int64(getpid())), .text(Self.sluiceVersion),
            ])
    }

    /// The checksum and file recorded when each revision was last applied or stamped,
    /// for revisions whose latest successful attempt was not a downgrade.
    public func appliedChecksums(in connection: Connection) throws(SQLiteError) -> [String: (checksum: String?, file: String?)] {
        guard try connection.tableExists(Self.name) else { return [:] }
        let rows = try connection.rows("""
            SELECT revision, direction, checksum, file FROM sluice_history
            WHERE id IN (SELECT max(id) FROM sluice_history WHERE outcome = 'applied' GROUP BY revision)
            """)
        var result: [String: (String?, String?)] = [:]
        for row in rows where row[1].text != "downgrade" {
            guard let revision = row[0].text else { continue }
            result[revision] = (row[2].text, row[3].text)
        }
        return result
    }

    /// The note on a `stamp` row for a revision the stamp marked as not applied.
    public static let markedNotApplied = "marked not applied by stamp (no SQL ran)"

    /// This host's name, recorded with every attempt.
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}

/// The version of sluice, recorded in `sluice_history` and shown by `--version`.
public enum SluiceVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
