import FoundationEssentials

extension Scheduler {
    /// A pause before trying again within one window opening, after the database was busy or
    /// the backup failed. A new opening starts afresh.
    struct Retry: Sendable, Equatable {
        /// Why the scheduler is pausing; it sets the back-off and the waiting reason.
        enum Cause: Sendable, Equatable {
            /// The application held the database lock.
            case busy
            /// The backup before the run could not be taken.
            case backupFailed
            /// A revision ran out of disk space and was rolled back.
            case diskFull
        }

        /// Why.
        let cause: Cause
        /// Consecutive failures of this cause, 1 for the first.
        let attempts: Int
        /// Nothing starts before this instant.
        let notBefore: Date
        /// The opening it happened in; the retry is forgotten outside it.
        let opening: OpenInterval?

        /// The next retry after `previous` (if of the same cause), reported at `now`.
        init(cause: Cause, after previous: Retry?, now: Date, opening: OpenInterval?) {
            self.cause = cause
            self.attempts = previous?.cause == cause ? previous!.attempts + 1 : 1
            self.opening = opening
            self.notBefore = now.addingTimeInterval(Self.delay(cause: cause, attempt: attempts))
        }

        /// Doubling back-off: busy 1, 2, 4, 8, then 10 s (the lock is usually a short write
        /// transaction); backup and disk full 30 s doubling to 5 min (a full disk does not
        /// clear in seconds).
        static func delay(cause: Cause, attempt: Int) -> TimeInterval {
            let (first, cap): (Double, Double) = cause == .busy ? (1, 10) : (30, 300)
            return min(cap, first * Double(1 << (min(max(attempt, 1), 30) - 1)))
        }

        /// Whether this retry belongs to `interval`'s opening.
        func applies(to interval: OpenInterval) -> Bool { opening.map { $0.overlaps(interval) } ?? false }

        /// The waiting reason while pausing.
        var reason: String {
            let when = ScheduleText.utc(notBefore)
            switch cause {
            case .busy: return "database busy (locked by the application); retrying at \(when)"
            case .backupFailed: return "the backup before the run failed; retrying at \(when)"
            case .diskFull: return "the disk was full (the revision was rolled back); retrying at \(when)"
            }
        }
    }
}

extension Scheduler {
    /// Forgets a pending retry (busy database, failed backup, full disk) so the next
    /// decision may run at once: an operator who freed space or stopped the application
    /// says so with a reload.
    public mutating func retryNow() {
        retry = nil
    }
}

extension OpenInterval {
    /// Whether the two intervals share an instant: the same opening even when overlapping
    /// windows take turns being "the one that ends last".
    func overlaps(_ other: OpenInterval) -> Bool { start < other.end && other.start < end }
}
