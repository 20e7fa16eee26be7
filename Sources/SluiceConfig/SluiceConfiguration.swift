import SluiceTime
/// Everything `sluice.toml` says (SPEC §7), fully checked, with paths made absolute.
///
/// It is a plain value so the daemon can load a new one on `SIGHUP`, compare it with the
/// running one, and swap it in only when it is valid. Command-line overrides
/// (`--database`, `--versions`) are applied by the caller on top of it.
public struct SluiceConfiguration: Sendable, Equatable {
    /// The absolute path of the file this was read from, so a reload reads the same file
    /// even after a change of directory; `nil` for `defaults`.
    public var sourcePath: String?
    /// The SQLite database, absolute; `nil` when the file does not say (the command line must).
    public var database: String?
    /// `databases`: a set of databases on one schema (a fleet), as an absolute glob whose
    /// last component may hold `*`, `?` and `[…]` (`/var/lib/app/tenants/*.db`);
    /// `nil` for the single `database`. The two keys exclude each other.
    public var databases: String?
    /// `[rollout]`: how a revision goes out to the members of `databases`.
    public var rollout = RolloutSettings()
    /// The directory of revision files, absolute; `nil` when the file does not say.
    public var versions: String?
    /// The declarative schema `create --autogenerate` and `diff` compare the history
    /// with (`schema`): one SQL file or a directory of them, absolute; `nil` when the file
    /// does not say (then `schema.sql` beside the versions directory).
    public var schema: String?
    /// Where backups go and how many are kept.
    public var backups: BackupSettings
    /// Where the daemon writes the state `sluice status` reads (`state_file`), absolute.
    public var stateFile: String?
    /// How long the watcher waits for quiet before taking a batch of files, so a `git pull`
    /// is one batch; between zero and one hour.
    public var settle: Duration
    /// How long a revision in flight at stop may take to finish before it is interrupted
    /// and rolled back (`stop_timeout`, default 20s); systemd is told with
    /// `EXTEND_TIMEOUT_USEC`.
    public var stopTimeout: Duration = .seconds(20)
    /// The version table's name, a plain SQL identifier so it can be spliced into SQL safely.
    public var versionTable: String
    /// `[log]`.
    public var log: LogSettings
    /// `[validation]`.
    public var validation: ValidationSettings
    /// `[metrics]`.
    public var metrics = MetricsSettings()
    /// `[control]`.
    public var control = ControlSettings()
    /// `[[window]]`, in file order; empty means no window ever opens.
    public var windows: [WindowSpec]
    /// `[[blackout]]`, in file order.
    public var blackouts: [Blackout]

    /// The configuration of a file that sets nothing, used when no file exists and as the
    /// base each file's values are laid on.
    public static let defaults = SluiceConfiguration(
        sourcePath: nil,
        database: nil,
        versions: nil,
        schema: nil,
        backups: BackupSettings(),
        stateFile: nil,
        settle: .milliseconds(500),
        versionTable: "alembic_version",
        log: LogSettings(),
        validation: ValidationSettings(),
        windows: [],
        blackouts: []
    )

    /// The longest settle period accepted: longer would look like a hung daemon.
    public static let maximumSettle: Duration = .seconds(3600)
}
