import FoundationEssentials
import SluiceCore
import SluiceTime
import TOML

extension SluiceConfiguration {
    /// The keys allowed at the top level of the file.
    static let topLevelKeys = [
        "database", "databases", "versions", "schema", "backups", "state_file", "settle", "stop_timeout", "version_table",
        "log", "validation", "metrics", "control", "rollout", "window", "blackout",
    ]

    /// Parses and checks the text of a configuration file, as `load(path:)` does after
    /// reading it; for callers (and tests) that already hold the text.
    ///
    /// - Parameters:
    ///   - text: The TOML document.
    ///   - path: The file it came from: named in errors, and its directory is the base for
    ///     relative paths (a relative `path` is read against the current directory).
    /// - Throws: `ConfigurationError` with the line and column of a TOML syntax error, or
    ///   the key path of the first value that is unknown, of the wrong type or not allowed.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> SluiceConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(text)
        } catch {
            throw ConfigurationError(path: path, line: error.line, column: error.column, reason: "invalid TOML: \(error.reason)")
        }
        let context = ParseContext(path: path, baseDirectory: PathText.directory(of: path))
        let reader = TableReader(table: root, keyPath: "", context: context)
        try reader.rejectUnknownKeys(allowed: topLevelKeys)

        var configuration = SluiceConfiguration.defaults
        configuration.sourcePath = PathText.resolve(path, relativeTo: PathText.currentDirectory())
        configuration.database = try reader.path("database", example: "\"var/app.db\"")
        configuration.databases = try reader.path("databases", example: "\"/var/lib/app/tenants/*.db\"")
        if let databases = configuration.databases {
            if configuration.database != nil {
                throw context.error("databases", "`database` and `databases` exclude each other: one database, or a set of them on one schema")
            }
            let directory = PathText.parent(of: databases)
            if directory.contains(where: { "*?[".contains($0) }) {
                throw context.error("databases", "only the file name may hold `*`, `?` or `[…]` (\"\(databases)\"); the members live in one directory")
            }
        }
        configuration.versions = try reader.path("versions", example: "\"../migrations/versions\"")
        configuration.schema = try reader.path("schema", example: "\"../migrations/schema.sql\"")
        if let backups = try reader.table("backups") { configuration.backups = try BackupSettings(reading: backups) }
        configuration.stateFile = try reader.path("state_file", example: "\"var/sluice.state.json\"")
        if let settle = try reader.duration("settle", example: "\"500ms\"") {
            guard settle <= maximumSettle else {
                throw context.error("settle", "must be at most 1h; the watcher waits this long for quiet before each batch")
            }
            configuration.settle = settle
        }
        if let stopTimeout = try reader.duration("stop_timeout", example: "\"20s\"") {
            guard stopTimeout <= .seconds(3600) else {
                throw context.error("stop_timeout", "must be at most 1h; systemd waits this long for a revision in flight at stop")
            }
            configuration.stopTimeout = stopTimeout
        }
        if let table = try reader.string("version_table", example: "\"alembic_version\"") {
            try checkVersionTable(table, context: context)
            configuration.versionTable = table
        }
        if let log = try reader.table("log") { configuration.log = try LogSettings(reading: log) }
        if let validation = try reader.table("validation") { configuration.validation = try ValidationSettings(reading: validation) }
        if let metrics = try reader.table("metrics") { configuration.metrics = try MetricsSettings(reading: metrics) }
        if let control = try reader.table("control") { configuration.control = try ControlSettings(reading: control) }
        if let rollout = try reader.table("rollout") { configuration.rollout = try RolloutSettings(reading: rollout) }
        configuration.windows = try windows(reading: reader.arrayOfTables("window"))
        for blackout in try reader.arrayOfTables("blackout") {
            configuration.blackouts.append(try Blackout(reading: blackout))
        }
        return configuration
    }

    /// Reads every window and checks that names are unique, since logs and `sluice windows`
    /// tell windows apart by name.
    private static func windows(reading tables: [TableReader]) throws(ConfigurationError) -> [WindowSpec] {
        var windows: [WindowSpec] = []
        for table in tables {
            let window = try WindowSpec(reading: table)
            if let first = windows.firstIndex(where: { $0.name == window.name }) {
                throw table.context.error(table.key("name"), "\"\(window.name)\" is already the name of window[\(first)]; window names must be unique")
            }
            windows.append(window)
        }
        return windows
    }

    /// The version table name is spliced into SQL, so it must be a plain identifier, and it
    /// must not collide with SQLite's reserved names or sluice's own history table.
    private static func checkVersionTable(_ name: String, context: ParseContext) throws(ConfigurationError) {
        let bytes = Array(name.utf8)
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") }
        guard let first = bytes.first, isLetter(first), bytes.count <= 63,
              bytes.allSatisfy({ isLetter($0) || $0.isASCIIDigit })
        else {
            throw context.error("version_table", "\"\(name)\" is not allowed; use 1 to 63 ASCII letters, digits and "
                + "underscores, not starting with a digit (like \"alembic_version\")")
        }
        let lowered = name.lowercased()
        guard !lowered.hasPrefix("sqlite_"), lowered != "sluice_history" else {
            throw context.error("version_table", "\"\(name)\" is reserved (by SQLite or for sluice's history); choose another name")
        }
    }
}
