/// How far a copy of the live database (a backup, a rehearsal's data) may get in the
/// application's way: the copy is never allowed to make the application's writes wait
/// past what the operator configured (`backups = { max_rate, max_stall, on_long_stall }`).
public struct CopyLimits: Sendable, Equatable {
    /// What to do when a copy could only be consistent by holding the application's writes
    /// back longer than `maxStall` (a rollback-journal database on a file system that
    /// cannot clone).
    public enum OverStall: String, Sendable, CaseIterable {
        /// Do not copy; the apply waits, with the reason shown, and is retried later.
        case hold
        /// Copy in short steps that each hold the writers back for one step only; a write
        /// by the application makes SQLite start the copy again, so it finishes only in a
        /// quiet spell, and gives up (retried later) when none comes.
        case wait
    }

    /// The most bytes per second the copy writes (`nil`: as fast as the disk takes them),
    /// so its write-back leaves room for the application's own `fsync`s.
    public var maxRate: Int64?
    /// The longest the copy may hold the application's writes back, predicted before it
    /// starts from the database's size and the copy rate measured on its first step.
    public var maxStall: Duration
    /// What happens when the prediction is above `maxStall`.
    public var overStall: OverStall

    /// The defaults: no rate bound, a 1 s stall bound (well below the 5 s busy timeout
    /// most applications use), hold when over it.
    public init(maxRate: Int64? = nil, maxStall: Duration = .seconds(1), overStall: OverStall = .hold) {
        self.maxRate = maxRate
        self.maxStall = maxStall
        self.overStall = overStall
    }
}
