/// `backups = { directory, keep, max_total, max_rate, max_stall, on_long_stall }`: where the
/// pre-migration backups go, how many stay, and how far taking one may get in the
/// application's way.
public struct BackupSettings: Sendable, Equatable {
    /// What to do when a consistent copy would hold the application's writes back longer
    /// than `maxStall` (a rollback-journal database on a file system that cannot clone).
    public enum OnLongStall: String, Sendable, CaseIterable {
        /// Do not copy: the apply waits, with the reason in `sluice status` and the
        /// journal, and is retried later.
        case hold
        /// Copy in short steps that let the application write in between, which finishes
        /// only in a quiet spell; retried later when none comes.
        case wait
    }

    /// An absolute directory, or `nil` to let the caller use `<database dir>/backups`
    /// (the database path may come from the command line, so only the caller knows it).
    public var directory: String?
    /// How many of the newest backups to keep (at least 1: a backup is taken before every
    /// change, and the one just taken must survive the pruning).
    public var keep: Int
    /// The most bytes per second a backup writes, so its write-back leaves the disk to
    /// the application's `fsync`s; `nil` for no bound (`max_rate = 0`). The default,
    /// 64 MiB/s, kept the application's worst WAL commit under 100 ms in the benchmark
    /// (bench/RESULTS.md) on a disk that writes about 200 MB/s.
    public var maxRate: Int64?
    /// The longest a backup (or the rehearsal's copy) may hold the application's writes
    /// back; well below the 5 s busy timeout applications usually have.
    public var maxStall: Duration
    /// What happens when a backup would stall the application longer than `maxStall`.
    public var onLongStall: OnLongStall
    /// `max_total`: the most bytes the backups in the directory may take together; past
    /// it the oldest are removed first (the one just taken stays); `nil` for no bound.
    public var maxTotal: Int64?

    /// Creates the settings; the defaults are those used when the file says nothing.
    public init(directory: String? = nil, keep: Int = 10, maxRate: Int64? = 64 << 20, maxStall: Duration = .seconds(1),
                onLongStall: OnLongStall = .hold) {
        self.directory = directory
        self.keep = keep
        self.maxRate = maxRate
        self.maxStall = maxStall
        self.onLongStall = onLongStall
    }

    /// The busy timeout most applications give SQLite; `max_stall` must stay below it, or
    /// the application's writes would fail with "database is locked" during a backup.
    public static let applicationBusyTimeout: Duration = .seconds(5)
}
