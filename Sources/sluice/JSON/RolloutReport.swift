import SluiceFleet

/// What `upgrade --all` and `downgrade --all` print with `--json`: every member's outcome
/// and the rollout's totals.
struct RolloutReport: Encodable {
    /// One member.
    struct Member: Encodable {
        let name: String
        let path: String
        /// `migrated`, `at-target`, `failed`, `skipped` or `held`.
        let outcome: String
        /// The version rows before and after (`migrated`), or where it stands (`at-target`).
        let from: [String]?
        let to: [String]?
        /// The revisions applied or unapplied, in order.
        let revisions: [String]?
        let durationMilliseconds: Int?
        /// Why it failed, was skipped or held.
        let reason: String?
        /// The revision at fault, when one is.
        let revision: String?
        /// Whether its schema differs from the others' at the same version rows.
        let drifted: Bool

        private enum CodingKeys: String, CodingKey {
            case name, path, outcome, from, to, revisions, reason, revision, drifted
            case durationMilliseconds = "duration_ms"
        }

        init(_ member: FleetMember, _ outcome: MemberOutcome, drifted: Bool) {
            name = member.name
            path = member.path
            self.outcome = outcome.kind
            self.drifted = drifted
            switch outcome {
            case .migrated(let from, let to, let revisions, let milliseconds):
                (self.from, self.to, self.revisions, durationMilliseconds, reason, revision) = (from, to, revisions, milliseconds, nil, nil)
            case .atTarget(let rows):
                (from, to, revisions, durationMilliseconds, reason, revision) = (rows, rows, [], nil, nil, nil)
            case .failed(let reason, let revision):
                (from, to, revisions, durationMilliseconds, self.reason, self.revision) = (nil, nil, nil, nil, reason, revision)
            case .skipped(let reason), .held(let reason):
                (from, to, revisions, durationMilliseconds, self.reason, revision) = (nil, nil, nil, nil, reason, nil)
            }
        }
    }

    /// The totals.
    struct Summary: Encodable {
        let members: Int
        let migrated: Int
        let atTarget: Int
        let failed: Int
        let skipped: Int
        let held: Int
        /// Rehearsals run: one per distinct schema, version rows and plan.
        let rehearsals: Int

        private enum CodingKeys: String, CodingKey {
            case members, migrated, failed, skipped, held, rehearsals
            case atTarget = "at_target"
        }
    }

    let direction: String
    let target: String
    let databases: String
    let members: [Member]
    let summary: Summary
    let drifted: [String]
}
