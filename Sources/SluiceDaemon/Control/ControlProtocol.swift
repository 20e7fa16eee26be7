import FoundationEssentials

/// A command to the running daemon, sent over the control socket as one JSON line.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// What the operator asks for.
    public enum Command: String, Codable, Sendable {
        /// Start no new revision (one in flight finishes) until `resume`; kept across restarts.
        case pause
        /// Undo `pause`.
        case resume
        /// Open an ad-hoc window now, for `forSeconds`.
        case applyNow = "apply-now"
        /// Apply again a revision that failed on real data, without editing its file.
        case retry
    }

    public var command: Command
    /// Why (`pause --reason`), shown by `status`.
    public var reason: String?
    /// How long an `apply-now` window stays open, in seconds.
    public var forSeconds: Int?
    /// `apply-now --override-blackout`: open it even inside a blackout.
    public var overrideBlackout: Bool?
    /// The revision to `retry`.
    public var revision: String?

    enum CodingKeys: String, CodingKey {
        case command, reason, revision
        case forSeconds = "for_seconds"
        case overrideBlackout = "override_blackout"
    }

    /// A request.
    public init(command: Command, reason: String? = nil, forSeconds: Int? = nil, overrideBlackout: Bool? = nil, revision: String? = nil) {
        self.command = command
        self.reason = reason
        self.forSeconds = forSeconds
        self.overrideBlackout = overrideBlackout
        self.revision = revision
    }
}

/// The daemon's answer to a `ControlRequest`, one JSON line.
public struct ControlReply: Codable, Sendable, Equatable {
    /// Whether the command was carried out.
    public var ok: Bool
    /// What happened, or why not.
    public var message: String

    /// An answer.
    public init(ok: Bool, message: String) {
        self.ok = ok
        self.message = message
    }
}

/// A pause the operator asked for (`sluice pause`): who, when and why. Kept in a file
/// beside the database so it survives a restart, and shown by `status`.
public struct PauseNote: Codable, Sendable, Equatable {
    public var reason: String
    /// The caller's user and process id, from the socket's credentials.
    public var uid: UInt32
    public var pid: Int32
    /// When, ISO 8601 UTC.
    public var at: String

    /// A note.
    public init(reason: String, uid: UInt32, pid: Int32, at: String) {
        self.reason = reason
        self.uid = uid
        self.pid = pid
        self.at = at
    }
}
