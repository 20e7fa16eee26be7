import FoundationEssentials

/// Decides when each queued revision is applied: the daemon's policy as a synchronous state
/// machine (STYLE habit 7).
///
/// The async shell feeds it events, each timed with a fresh wall-clock reading, and performs
/// the actions it returns; it holds no clock and starts no task, so every rule — apply only
/// in an open window, one revision at a time, a revision must fit in what is left of the
/// window, failures hold their descendants, a backup before each run — is tested by passing
/// dates. A clock that jumps forward past a window finds it closed; one that jumps back finds
/// the revisions already applied.
public struct Scheduler: Sendable {
    /// The windows and blackouts the decisions follow. Replace it when the configuration is
    /// reloaded (`SIGHUP`) to keep the queue, outcomes and backups; then send a `.tick`.
    public var calendar: MaintenanceCalendar
    /// The revision the last `.apply` named, until its outcome arrives; `nil` when none is
    /// running. The daemon's status line shows it ("applying ae1027a6acf0").
    public internal(set) var revisionInFlight: String?
    /// Revisions that failed and are held until their file changes, for status output.
    public internal(set) var failedRevisions: Set<String> = []
    /// Why each queued revision is not applied right now ("outside maintenance windows; next
    /// opens …", "needs 40s but only 12s left in window weekend", "held back: ancestor X
    /// failed"), for `sluice status`, the state file and the `waiting` log event. Updated by
    /// every `handle(_:)`.
    public internal(set) var waitingReasons: [String: String] = [:]

    /// The queue in graph order, as last reported.
    var queue: [PendingRevision] = []
    /// Revisions reported applied: never started again.
    var applied: Set<String> = []
    /// The wall-clock time of the last event that carried one.
    public private(set) var now: Date?
    /// The backup taken in the current (or a past) opening.
    var lastBackup: BackupRecord?
    /// A back-off in progress.
    var retry: Retry?
    /// Set by `.stopRequested`; afterwards every event is answered with nothing.
    var stopped = false

    /// A backup the scheduler asked for: in which opening, and whether the database is
    /// unchanged since (then a `Transaction: none` revision needs no second one).
    struct BackupRecord: Sendable, Equatable {
        /// The interval that was open when it was taken.
        let opening: OpenInterval
        /// No revision has been applied or failed since.
        var untouched: Bool
        /// The revisions it was taken for; a revision outside this set (it arrived later,
        /// as on an always-open staging window) gets a backup of its own first.
        var revisions: Set<String> = []
    }

    /// A scheduler with an empty queue that knows no time yet; the shell's first event should
    /// be a `.tick(now:)`.
    public init(calendar: MaintenanceCalendar) {
        self.calendar = calendar
    }

    /// Takes one event and returns what to do now, in order. After `.apply` it returns
    /// nothing more until that revision's outcome arrives; after `.stop` nothing at all.
    public mutating func handle(_ event: Event) -> [Action] {
        guard !stopped else { return [] }
        switch event {
        case .stopRequested:
            stopped = true
            return [.stop]
        case .queueChanged(let pending):
            queue = pending
            return decide(clockIsFresh: false)
        case .fileChanged(let revision):
            failedRevisions.remove(revision)
            return decide(clockIsFresh: false)
        case .unapplied(let revisions):
            applied.subtract(revisions)
            lastBackup = nil
            return decide(clockIsFresh: false)
        case .tick(let now):
            self.now = now
        case .applied(let revision, let now):
            self.now = now
            applied.insert(revision)
            failedRevisions.remove(revision)
            finish(revision, changedDatabase: true)
        case .failed(let revision, let now):
            self.now = now
            failedRevisions.insert(revision)
            finish(revision, changedDatabase: true)
        case .busy(let revision, let now):
            self.now = now
            finish(revision, changedDatabase: false)
            retry = Retry(cause: .busy, after: retry, now: now, opening: calendar.openInterval(at: now))
        case .diskFull(let revision, let now):
            self.now = now
            finish(revision, changedDatabase: false)
            retry = Retry(cause: .diskFull, after: retry, now: now, opening: calendar.openInterval(at: now))
        case .backupFailed(let now):
            self.now = now
            revisionInFlight = nil
            lastBackup = nil
            retry = Retry(cause: .backupFailed, after: retry, now: now, opening: calendar.openInterval(at: now))
        }
        return decide(clockIsFresh: true)
    }

    /// Clears the revision in flight when its outcome arrives.
    private mutating func finish(_ revision: String, changedDatabase: Bool) {
        if revisionInFlight == revision { revisionInFlight = nil }
        if changedDatabase {
            retry = nil
            lastBackup?.untouched = false
        }
    }
}
