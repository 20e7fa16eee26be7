import SluiceConfig
import SluiceCore
import SluiceFleet
import SluiceSQLite

/// What `sluice serve` needs to serve a fleet (`databases = "dir/*.db"`), resolved.
public struct FleetSettings: Sendable {
    public var configuration: SluiceConfiguration
    /// The members' glob, absolute.
    public var glob: String
    public var versionsPath: String
    /// `state_file`, else `.sluice-fleet-state.json` in the members' directory (a dotfile,
    /// so never a member).
    public var stateFilePath: String
    /// The running binary's version, in the `started` record.
    public var buildVersion = "unknown"

    public init(configuration: SluiceConfiguration, glob: String, versionsPath: String) {
        self.configuration = configuration
        self.glob = glob
        self.versionsPath = versionsPath
        stateFilePath = configuration.stateFile ?? PathText.join(PathText.parent(of: glob), ".sluice-fleet-state.json")
    }

    /// The members' directory.
    public var directory: String { PathText.parent(of: glob) }
}

extension FleetMigration.Settings {
    /// The settings `configuration` gives, for the command line's rollout and the
    /// daemon's alike: version table, policy, rehearsal size, copy bounds and where each
    /// member's backups go.
    public init(configuration: SluiceConfiguration, lockTimeout: Duration) {
        self.init(versionTable: VersionTable(name: configuration.versionTable), policy: RevisionPolicy(allowAttach: configuration.validation.allowAttach),
                  rehearsalMaxBytes: configuration.validation.rehearsalMaxBytes, copyLimits: configuration.backups.copyLimits,
                  lockTimeout: lockTimeout, backups: { [backups = configuration.backups] member in backups.store(forDatabase: member.path) })
    }
}
