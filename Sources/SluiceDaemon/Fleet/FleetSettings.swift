import SluiceConfig
import SluiceCore

/// What `sluice serve` needs to serve a fleet (`databases = "dir/*.db"`), resolved.
public struct FleetSettings: Sendable {
    public var configuration: SluiceConfiguration
    /// The members' glob, absolute.
    public var glob: String
    public var versionsPath: String
    /// `state_file`, else `.sluice-fleet-state.json` in the members' directory (a dotfile,
    /// so never a member).
    public var stateFilePath: String
    /// The running binary's version, for the log.
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
