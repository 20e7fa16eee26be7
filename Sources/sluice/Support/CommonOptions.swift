import ArgumentParser

/// The options every subcommand takes after its name (SPEC §4).
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: ./config/sluice.toml, then /etc/sluice/sluice.toml).")
    var config: String?

    @Option(name: .long, help: "The SQLite database file, overriding the configuration.")
    var database: String?

    @Option(name: .long, help: "The versions directory, overriding the configuration.")
    var versions: String?

    /// The values, free of the parser.
    var values: WorkspaceOptions { WorkspaceOptions(config: config, database: database, versions: versions) }
}

/// Where a command finds its configuration, database and versions: what `CommonOptions`
/// parsed, or what the direct path for `upgrade`/`downgrade` read itself.
struct WorkspaceOptions: Sendable, Equatable {
    var config: String?
    var database: String?
    var versions: String?
}

/// `--json` for commands that report.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}

/// `--lock-timeout` for commands that change the database.
struct LockOptions: ParsableArguments {
    @Option(name: .long, help: "How long to wait for another sluice holding the database lock (e.g. 30s, 2m).")
    var lockTimeout: String = "30s"
}

/// `--skip-rehearsal` for commands that apply revisions (SPEC §4): the only way to apply
/// without the rehearsal, recorded in `sluice_history`.
struct RehearsalOptions: ParsableArguments {
    @Flag(name: .long, help: "Apply without rehearsing on a copy first (recorded in sluice_history; destructive changes are still refused).")
    var skipRehearsal = false
}

/// `--all` for commands that work on every member of a fleet (`databases`).
struct AllFlag: ParsableArguments {
    @Flag(name: .long, help: "Every member of the fleet (`databases` in the configuration); `--database NAME` picks members by name or glob.")
    var all = false
}
