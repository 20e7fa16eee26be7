import FoundationEssentials

extension Scheduler {
    /// What the daemon's async shell must do next, in order; the shell performs actions and
    /// reports their outcome as events, and decides nothing itself.
    public enum Action: Sendable, Equatable {
        /// Take a backup (SQLite online backup, keep the last N) before the first revision of
        /// a run in a window opening, and right before a `Transaction: none` revision unless
        /// nothing changed since the last one. `revisions` lists what is expected to run in
        /// this opening, in order, for the log. If it fails, skip the `.apply` that follows
        /// and send `.backupFailed`.
        case backup(revisions: [String])
        /// Apply exactly this revision, then report `.applied`, `.failed` or `.busy` for it;
        /// until then the scheduler starts nothing else.
        case apply(revision: String)
        /// Nothing to do until `until` (the next window edge, or a retry). Cap the sleep,
        /// re-read the wall clock on waking and send `.tick`. An instant already past means
        /// "tick at once": the scheduler wants a fresh clock reading before it starts anything.
        case sleep(until: Date)
        /// Nothing can run whatever the time (nothing pending, everything held, or no window
        /// ever opens again): wait for the next event. The shell may still cap the wait and
        /// tick, which is harmless.
        case idle
        /// Stop: finish or interrupt the revision in flight, then exit cleanly.
        case stop
    }
}
