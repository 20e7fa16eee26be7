import SluiceCore

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

    /// The status of the surveyed member against the heads `plans` plans for.
    public static func of(_ survey: MemberSurvey, plans: PlanCache) -> MemberStatus {
        if let error = survey.error {
            return MemberStatus(member: survey.member, state: .unreadable, current: [], pending: [], reason: error)
        }
        guard let plan = plans.plan(from: survey.rows) else {
            return MemberStatus(member: survey.member, state: .unreadable, current: survey.rows, pending: [],
                                reason: "its version rows (\(survey.rows.joined(separator: ", "))) are not in the versions directory's graph")
        }
        let pending = plan.steps.map(\.revision.id)
        guard let next = pending.first else {
            return MemberStatus(member: survey.member, state: .atHead, current: survey.rows, pending: [], reason: nil)
        }
        if let failure = survey.lastFailure, failure.revision == next {
            return MemberStatus(member: survey.member, state: .failed, current: survey.rows, pending: pending, reason: failure.reason)
        }
        return MemberStatus(member: survey.member, state: .pending, current: survey.rows, pending: pending, reason: nil)
    }
}
