import FoundationEssentials

/// What the daemon sees: the queue and everything kept out of it, with reasons. Written
/// to the state file after every change and read by `sluice status`.
public struct QueueView: Codable, Sendable, Equatable {
    /// A revision ready to apply, in graph order.
    public struct Queued: Codable, Sendable, Equatable {
        public var revision: String
        public var file: String
        public var message: String
        public var checksum: String
        /// How long its whole rehearsal took (upgrade, downgrade with the schemas compared,
        /// upgrade again), in milliseconds: what validating it cost.
        public var rehearsalMilliseconds: Int
        /// How long its upgrade alone took in the rehearsal, in milliseconds: the
        /// estimate used to decide whether it fits in what is left of a window.
        public var upgradeMilliseconds: Int
        enum CodingKeys: String, CodingKey {
            case revision, file, message, checksum
            case rehearsalMilliseconds = "rehearsal_ms"
            case upgradeMilliseconds = "upgrade_ms"
        }
    }

    /// A file kept out of the queue, with why.
    public struct Entry: Codable, Sendable, Equatable {
        public var revision: String?
        public var file: String?
        public var line: Int?
        public var reason: String
        /// For waiting revisions: what they wait for.
        public var waitingFor: String?
        enum CodingKeys: String, CodingKey {
            case revision, file, line, reason
            case waitingFor = "waiting_for"
        }

        public init(revision: String?, file: String?, line: Int? = nil, reason: String, waitingFor: String? = nil) {
            self.revision = revision
            self.file = file
            self.line = line
            self.reason = reason
            self.waitingFor = waitingFor
        }
    }

    /// The last successful change recorded in `sluice_history`.
    public struct LastApplied: Codable, Sendable, Equatable {
        public var revision: String
        public var direction: String
        public var finishedAt: String
        public var trigger: String
        enum CodingKeys: String, CodingKey {
            case revision, direction, trigger
            case finishedAt = "finished_at"
        }
    }

    /// Counts for a one-line summary.
    public struct Counts: Codable, Sendable, Equatable {
        public var queued = 0
        public var waiting = 0
        public var rejected = 0
        public var held = 0
        public var applied = 0
    }

    public var database: String
    public var versions: String
    /// `alembic_version` rows.
    public var current: [String] = []
    /// Heads of the usable graph.
    public var heads: [String] = []
    public var queue: [Queued] = []
    public var waiting: [Entry] = []
    public var rejected: [Entry] = []
    public var held: [Entry] = []
    public var lastApplied: LastApplied?
    public var counts = Counts()

    enum CodingKeys: String, CodingKey {
        case database, versions, current, heads, queue, waiting, rejected, held, counts
        case lastApplied = "last_applied"
    }

    /// An empty view of a database and versions directory.
    public init(database: String, versions: String) {
        self.database = database
        self.versions = versions
    }

    /// Recomputes `counts` from the lists.
    mutating func recount(applied: Int) {
        counts = Counts(queued: queue.count, waiting: waiting.count, rejected: rejected.count, held: held.count, applied: applied)
    }

    /// Whether anything is pending or held (`status --exit-code` exits 3 then).
    public var hasPendingWork: Bool { !queue.isEmpty || !held.isEmpty || !waiting.isEmpty }
}
