import SluiceCore

/// Where one member stands against the heads of the versions directory, read without a
/// lock: at every head, pending (revisions to go), in flight (a writer holds its sluice
/// lock: a rollout or a command is migrating it now), failed (the last attempt at its next
/// revision failed, with the reason from its `sluice_history`), or unreadable.
public struct MemberStatus: Sendable {
    /// `at-head`, `pending`, `in-flight`, `failed` or `unreadable`.
    public enum State: String, Sendable, Codable {
        case atHead = "at-head"
        case pending
        case inFlight = "in-flight"
        case failed
        case unreadable
    }

    public let member: FleetMember
    public let state: State
    /// The version rows; empty when unreadable.
    public let current: [String]
    /// The revisions still to apply to reach every head, in order.
    public let pending: [String]
    /// Why it failed or cannot be read; for a member in flight, what its writer says it
    /// is doing (`host=h pid=123 applying=r2 since=…`).
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

    /// This member as found with its sluice lock held by `holder` (what the holder's note
    /// says): in flight, unless it is already at every head (a writer with nothing to do,
    /// or a `stamp`, is not a migration in flight).
    public func inFlight(holder: String) -> MemberStatus {
        guard state != .atHead else { return self }
        return MemberStatus(member: member, state: .inFlight, current: current, pending: pending, reason: holder)
    }
}
