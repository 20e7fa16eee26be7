import SluiceCore
import SluiceOS
import SluiceSQLite

/// A member as it is before the rollout, read without a lock: its version rows and its
/// schema fingerprint. Members with the same rows and fingerprint share one rehearsal;
/// a member whose fingerprint differs from the others at the same rows has drifted.
public struct MemberSurvey: Sendable {
    public let member: FleetMember
    /// The version rows as stored; empty for a new database.
    public let rows: [String]
    /// `SchemaFingerprint` of the member.
    public let schema: String
    /// Why it could not be read (nothing else is set then).
    public let error: String?
    /// Its last upgrade attempt when that attempt failed (`sluice_history`): the revision
    /// and why, read on the same connection.
    public var lastFailure: (revision: String, reason: String)?

    /// Reads `member` (a dead writer's hot journal is rolled back first).
    public static func take(_ member: FleetMember, versionTable: VersionTable) -> MemberSurvey {
        do {
            let connection = try HotJournalRecovery.openReadOnly(member.path).connection
            // One read transaction: one consistent look, one shared lock instead of one per
            // query (a fifth of the system calls on a fleet of thousands).
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            let rows = try versionTable.rowsAsStored(in: connection)
            var survey = MemberSurvey(member: member, rows: rows, schema: try fingerprint(connection, versionTable: versionTable), error: nil)
            survey.lastFailure = lastFailure(in: connection)
            return survey
        } catch {
            return MemberSurvey(member: member, rows: [], schema: "", error: "cannot read \(member.path): \(error)")
        }
    }

    /// The last upgrade attempt recorded in `connection`'s history, when it failed.
    private static func lastFailure(in connection: Connection) -> (revision: String, reason: String)? {
        guard (try? connection.tableExists(HistoryTable.name)) == true,
              let row = try? connection.rows("SELECT revision, outcome, error_text, error_line FROM sluice_history WHERE direction = 'upgrade' ORDER BY id DESC LIMIT 1").first,
              row[1].text == "failed", let revision = row[0].text else { return nil }
        let line = row[3].integer.map { " (line \($0))" } ?? ""
        return (revision, "\(revision) failed\(line): \(row[2].text ?? "no reason recorded")")
    }

    /// The fingerprint members are grouped by: the schema without sluice's bookkeeping
    /// tables (the version table and `sluice_history`), which a writer creates first.
    public static func fingerprint(_ connection: Connection, versionTable: VersionTable) throws(SQLiteError) -> String {
        try SchemaFingerprint.of(connection, excluding: [versionTable.name, HistoryTable.name])
    }

    /// Surveys every member, `threads` at a time (one per core unless told); in the
    /// members' order.
    public static func takeAll(_ members: [FleetMember], versionTable: VersionTable, threads: Int = ThreadGroup.onlineCores) -> [MemberSurvey] {
        ThreadGroup.map(members, threads: threads, name: "sluice-survey", chunk: 8) { take($0, versionTable: versionTable) }
    }

    /// Members whose schema differs from the most common one among members at the same
    /// version rows, by name. Ties go to the fingerprint of the first member by name.
    public static func drifted(_ surveys: [MemberSurvey]) -> [FleetMember] {
        var byRows: [[String]: [MemberSurvey]] = [:]
        for survey in surveys where survey.error == nil { byRows[survey.rows.sorted(), default: []].append(survey) }
        var drifted: [FleetMember] = []
        for group in byRows.values {
            var counts: [String: Int] = [:]
            for survey in group { counts[survey.schema, default: 0] += 1 }
            var common = "", commonCount = 0
            for survey in group where counts[survey.schema, default: 0] > commonCount {
                (common, commonCount) = (survey.schema, counts[survey.schema, default: 0])
            }
            drifted += group.filter { $0.schema != common }.map(\.member)
        }
        return drifted.sorted()
    }
}
