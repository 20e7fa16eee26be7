import SluiceDaemon
import SluiceFleet

/// What `sluice status --json` prints for a fleet: the totals and every member's state.
struct FleetStatusReport: Encodable {
    struct Member: Encodable {
        let name: String
        let path: String
        /// `at-head`, `pending`, `in-flight`, `failed` or `unreadable`.
        let state: String
        let current: [String]
        /// The revisions still to apply, in order.
        let pending: [String]
        let reason: String?
        let drifted: Bool
    }

    struct Summary: Encodable {
        let members: Int
        let atHead: Int
        let pending: Int
        /// Members whose sluice lock a writer holds: being migrated now.
        let inFlight: Int
        let failed: Int
        let unreadable: Int
        let drifted: Int

        private enum CodingKeys: String, CodingKey {
            case members, pending, failed, unreadable, drifted
            case atHead = "at_head"
            case inFlight = "in_flight"
        }
    }

    /// The serving daemon's view, when one runs.
    struct Daemon: Encodable {
        let pid: Int32
        let updatedAt: String
        let summary: String
        let rollout: FleetStateDocument.Rollout?

        private enum CodingKeys: String, CodingKey {
            case pid, summary, rollout
            case updatedAt = "updated_at"
        }
    }

    let daemon: Daemon?
    /// The members are always read from disk; `daemon` adds the rollout under way.
    let source = "disk"
    let databases: String
    let heads: [String]
    let summary: Summary
    let members: [Member]
}
