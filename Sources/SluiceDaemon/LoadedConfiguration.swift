import SluiceConfig

/// The configuration a running daemon uses, as written into its state file: when the
/// file on disk has since been broken by an edit, `sluice status` can still say what the
/// daemon runs with (its last good configuration) beside the error.
public struct LoadedConfiguration: Codable, Sendable, Equatable {
    /// The file it was read from, when it came from one.
    public var path: String?
    /// When it was loaded (start or last successful reload), UTC ISO 8601.
    public var loadedAt: String
    /// The database and versions directory in use.
    public var database: String
    public var versions: String
    /// The windows' names, and how many blackouts there are.
    public var windows: [String]
    public var blackouts: Int

    enum CodingKeys: String, CodingKey {
        case path, database, versions, windows, blackouts
        case loadedAt = "loaded_at"
    }

    /// The summary of `settings`, loaded at `loadedAt`.
    public init(_ settings: DaemonSettings, loadedAt: String) {
        path = settings.configuration.sourcePath
        self.loadedAt = loadedAt
        database = settings.databasePath
        versions = settings.versionsPath
        windows = settings.configuration.windows.map(\.name)
        blackouts = settings.configuration.blackouts.count
    }
}
