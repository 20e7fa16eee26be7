import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS

/// What the fleet daemon publishes for `sluice status`: the totals, every member not at
/// head with why, and the rollout under way. Replaced whole (`AtomicFile`).
public struct FleetStateDocument: Codable, Sendable {
    /// One member not at head (or drifted).
    public struct Member: Codable, Sendable {
        public var name: String
        /// `pending`, `failed`, `unreadable`, or `at-head` for a drifted member.
        public var state: String
        public var current: [String]
        /// Revisions still to apply.
        public var pending: Int
        public var next: String?
        public var reason: String?
        public var drifted: Bool
    }

    /// The rollout under way, or the last one.
    public struct Rollout: Codable, Sendable {
        public var target: [String]
        public var members: Int
        public var applied: Int
        public var failed: Int
        public var skipped: Int
        public var held: Int
        public var startedAt: String
        public var running: Bool
        /// Why it stopped starting members (failures, the window, a stop).
        public var halted: String?

        enum CodingKeys: String, CodingKey {
            case target, members, applied, failed, skipped, held, running, halted
            case startedAt = "started_at"
        }
    }

    public var pid: Int32
    public var updatedAt: String
    public var summary: String
    public var databases: String
    public var heads: [String]
    public var members: Int
    public var atHead: Int
    public var pending: Int
    public var failed: Int
    public var unreadable: Int
    public var drifted: Int
    /// Every member that is not at head, or drifted, by name.
    public var behind: [Member]
    public var rollout: Rollout?
    public var nextWindow: String?
    /// Why nothing is rolled out (problems in the versions directory, a failed rehearsal).
    public var held: String?

    enum CodingKeys: String, CodingKey {
        case pid, summary, databases, heads, members, pending, failed, unreadable, drifted, behind, rollout, held
        case updatedAt = "updated_at"
        case atHead = "at_head"
        case nextWindow = "next_window"
    }

    /// Writes `document` to `path`.
    public static func write(_ document: FleetStateDocument, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // `name.tmp.<pid>` beside it: a dotfile when the state file is one (the default, in
        // the members' directory), which the members' watch ignores.
        try AtomicFile.write(Array(try encoder.encode(document)), to: path)
    }

    /// The document at `path` when its daemon is still running.
    public static func readLive(_ path: String) -> FleetStateDocument? {
        guard let data = FileManager.default.contents(atPath: path),
              let document = try? JSONDecoder().decode(FleetStateDocument.self, from: data),
              document.pid > 0, kill(document.pid, 0) == 0 || errno == EPERM else { return nil }
        return document
    }
}
