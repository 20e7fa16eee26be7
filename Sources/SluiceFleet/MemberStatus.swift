import SluiceCore
import SluiceSQLite

/// Where one member stands against the heads of the versions directory, read without a
/// lock: at every head, pending (revisions to go), failed (the last attempt at its next
/// revision failed, with the reason from its `sluice_history`), or unreadable.
public struct MemberStatus: Sendable {
    /// `at-head`, `pending`, `failed` or `unreadable`.
    public enum State: String, Sendable, Codable {
        case atHead = "at-head"
        case pending
        case failed
        case unreadable
    }

    public let member: FleetMember
    public let state: State
    /// The version rows; empty when unreadable.
    public let current: [String]
    /// The revisions still to apply to reach every head, in order.
    public let pending: [String]
    /// Why it failed or cannot be read.
    public let reason: String?

    /// The status of the surveyed member against `graph`'s heads.
    public static func of(_ survey: MemberSurvey, graph: RevisionGraph) -> MemberStatus {
        if let error = survey.error {
            return MemberStatus(member: survey.member, state: .unreadable, current: [], pending: [], reason: error)
        }
        let plan = try? AlembicCommands(graph).upgradePlan(current: survey.rows, target: "heads")
        guard let plan else {
            return MemberStatus(member: survey.member, state: .unreadable, current: survey.rows, pending: [],
                                reason: "its version rows (\(survey.rows.joined(separator: ", "))) are not in the versions directory's graph")
        }
        let pending = plan.steps.map(\.revision.id)
        guard let next = pending.first else {
            return MemberStatus(member: survey.member, state: .atHead, current: survey.rows, pending: [], reason: nil)
        }
        if let failure = lastFailure(of: next, in: survey.member) {
            return MemberStatus(member: survey.member, state: .failed, current: survey.rows, pending: pending, reason: failure)
        }
        return MemberStatus(member: survey.member, state: .pending, current: survey.rows, pending: pending, reason: nil)
    }

    /// The error of the last attempt at `revision` when that attempt failed (a later
    /// success, or none, is `nil`).
    private static func lastFailure(of revision: String, in member: FleetMember) -> String? {
        guard let connection = try? HotJournalRecovery.openReadOnly(member.path).connection,
              (try? connection.tableExists(HistoryTable.name)) == true,
              let row = try? connection.rows("SELECT outcome, error_text, error_line FROM sluice_history WHERE revision = ? AND direction = 'upgrade' ORDER BY id DESC LIMIT 1", [.text(revision)]).first,
              row[0].text == "failed" else { return nil }
        let line = row[2].integer.map { " (line \($0))" } ?? ""
        return "\(revision) failed\(line): \(row[1].text ?? "no reason recorded")"
    }
}
