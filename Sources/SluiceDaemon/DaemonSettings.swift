import FoundationEssentials
import SluiceConfig
import SluiceSQLite

/// The resolved settings the daemon runs with: paths made absolute, defaults filled in.
public struct DaemonSettings: Sendable {
    public var databasePath: String
    public var versionsPath: String
    public var stateFilePath: String
    public var settle: Duration
    public var versionTable: String
    public var strictPermissions: Bool
    public var allowMultipleHeads: Bool
    public var rehearsalMaxBytes: Int64
    /// What revisions may not do (`[validation] allow_attach`).
    public var policy: RevisionPolicy
    /// The whole configuration, for the parts later services use (windows, backups, log).
    public var configuration: SluiceConfiguration
    /// The running binary's version (`0.1.0 (git revision)`), for the metrics.
    public var buildVersion = "unknown"

    /// Where the control socket is: `[control] socket`, else `control.sock` in systemd's
    /// runtime directory (`RUNTIME_DIRECTORY`, its first entry), else beside the database.
    public func controlSocketPath(environment: [String: String]) -> String {
        if let configured = configuration.control.socket { return configured }
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty {
            return String(runtime) + "/control.sock"
        }
        return databasePath + ".sluice-control.sock"
    }

    /// Where backups go: `[backups] directory`, or `backups/` beside the database.
    public var backupDirectory: String {
        configuration.backups.directory(forDatabase: databasePath)
    }

    /// Resolves settings from a configuration whose `database` is set.
    public init(configuration: SluiceConfiguration, databasePath: String, versionsPath: String) {
        self.configuration = configuration
        self.databasePath = databasePath
        self.versionsPath = versionsPath
        self.stateFilePath = configuration.stateFile ?? databasePath + ".sluice-state.json"
        self.settle = configuration.settle
        self.versionTable = configuration.versionTable
        self.strictPermissions = configuration.validation.strictPermissions
        self.allowMultipleHeads = configuration.validation.allowMultipleHeads
        self.rehearsalMaxBytes = configuration.validation.rehearsalMaxBytes
        self.policy = RevisionPolicy(allowAttach: configuration.validation.allowAttach)
    }
}
