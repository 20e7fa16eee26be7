/// How one member of a rollout ended.
public enum MemberOutcome: Sendable, Equatable {
    /// Its revisions were applied: from the rows it had to the rows it has now.
    case migrated(from: [String], to: [String], revisions: [String], milliseconds: Int)
    /// It was already at the target: nothing ran.
    case atTarget([String])
    /// A revision failed and was rolled back, or the member was refused before anything
    /// ran (its rehearsal failed, its history is not intact); counts towards
    /// `max_failures`.
    case failed(reason: String, revision: String?)
    /// It could not be reached (locked past the timeout, unreadable): nothing ran and no
    /// revision is at fault; it does not count towards `max_failures`.
    case skipped(reason: String)
    /// Not started: the rollout halted before its turn.
    case held(reason: String)

    /// `migrated`, `at-target`, `failed`, `skipped` or `held`, for JSON and metrics.
    public var kind: String {
        switch self {
        case .migrated: "migrated"
        case .atTarget: "at-target"
        case .failed: "failed"
        case .skipped: "skipped"
        case .held: "held"
        }
    }

    /// Whether the member ends where the rollout wanted it.
    public var reachedTarget: Bool {
        switch self {
        case .migrated, .atTarget: true
        case .failed, .skipped, .held: false
        }
    }
}
