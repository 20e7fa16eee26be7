/// A validated revision waiting in the daemon's queue, as much as the scheduler needs of it.
///
/// The scheduler does not parse files or open databases; the daemon hands it this summary in
/// graph order and performs what it decides.
public struct PendingRevision: Sendable, Equatable {
    /// The revision id (`ae1027a6acf0`), the key of everything the scheduler reports.
    public let id: String
    /// Parents and `Depends On` revisions. Those not in the queue are taken as applied; those
    /// in it must be applied first, and a failed one holds this revision back.
    public let prerequisites: [String]
    /// How long the rehearsal took on the copy: the revision starts only if this fits in
    /// what is left of the window.
    public let estimatedDuration: Duration
    /// `Transaction: none`: the revision cannot be rolled back, so SPEC §3 makes a backup
    /// mandatory right before it, even in the middle of a run.
    public let requiresBackup: Bool

    /// Describes a queued revision.
    public init(id: String, prerequisites: [String] = [], estimatedDuration: Duration = .zero, requiresBackup: Bool = false) {
        self.id = id
        self.prerequisites = prerequisites
        self.estimatedDuration = estimatedDuration
        self.requiresBackup = requiresBackup
    }
}
