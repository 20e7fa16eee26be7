import FoundationEssentials

extension Scheduler {
    /// What happened, as the daemon's async shell reports it. Events that can lead to a
    /// revision starting carry the wall-clock time read when they happened, so the decision
    /// is made on a fresh clock (a suspend or clock jump cannot make it start a revision in a
    /// window that has closed).
    public enum Event: Sendable, Equatable {
        /// The validated queue in graph order (replaces the previous one). It carries no time:
        /// the scheduler never starts a revision on it, and when one could start it answers
        /// with a `.sleep` that is already due, so the shell re-reads the clock and ticks.
        case queueChanged(pending: [PendingRevision])
        /// The shell woke up (timer, or anything else) and read the wall clock.
        case tick(now: Date)
        /// The revision of the last `.apply` is applied and recorded. It is never applied
        /// again, even if the queue still lists it or the clock jumps back into its window.
        case applied(revision: String, now: Date)
        /// The revision was rolled back and recorded as failed; it and its descendants (by
        /// prerequisites, transitively) are held until `.fileChanged` for it. Unrelated
        /// branches keep going.
        case failed(revision: String, now: Date)
        /// The database was locked by the application: nothing changed, and the same
        /// revision is retried later in the same window after a growing back-off (1 s to 10 s).
        case busy(revision: String, now: Date)
        /// The disk was full: the revision was rolled back and nothing changed, and the same
        /// revision is retried later in the same window (30 s growing to 5 min) instead of
        /// being held until its file changes, since the file is not what is wrong.
        case diskFull(revision: String, now: Date)
        /// The backup before an `.apply` failed, so the shell did not perform that apply.
        /// The scheduler retries the backup later (30 s growing to 5 min) and never applies
        /// without it. (An addition to the original design: without it a failed backup could
        /// only be reported as a failed revision, which would hold it until its file changed.)
        case backupFailed(now: Date)
        /// A failed revision's file changed (it was fixed and revalidated): release it and
        /// its descendants.
        case fileChanged(revision: String)
        /// Another process took these revisions out of the database (a manual downgrade,
        /// a restore): they may be applied again once queued, and the last backup no
        /// longer shows the database as it is, so a fresh one comes first.
        case unapplied(revisions: Set<String>)
        /// `SIGTERM`/`SIGINT`: answer `.stop`, then nothing more, whatever arrives.
        case stopRequested
    }
}
