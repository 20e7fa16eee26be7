import ArgumentParser
import Logging
import SluiceConfig
import SluiceCore
import SluiceDaemon
import SluiceSQLite
import SluiceSystemd

/// `sluice serve`: run the daemon until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon: watch the versions directory, validate and queue what arrives.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let configuration = try Workspace.configuration(for: common.values)
        if let glob = configuration.databases, common.database == nil {
            return try await serveFleet(configuration, glob: glob)
        }
        let workspace = try Workspace(common.values, configuration: configuration)
        let format = workspace.configuration.log.format.rawValue
        let destination = LogDestination(rawValue: format) ?? LogDestination.automatic()
        let level = Logger.Level(rawValue: workspace.configuration.log.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in makeLogHandler(label: label, destination: destination, level: level) }
        let logger = Logger(label: "sluice")
        var settings = DaemonSettings(configuration: workspace.configuration, databasePath: workspace.databasePath, versionsPath: workspace.versionsPath)
        settings.buildVersion = "\(SluiceVersion.current) (\(buildRevision))"
        let common = common
        let group = buildDaemon(settings: settings, logger: logger) {
            let fresh = try Workspace(common)
            return DaemonSettings(configuration: fresh.configuration, databasePath: fresh.databasePath, versionsPath: fresh.versionsPath)
        }
        do {
            try await runUntilStopped(group)
        } catch {
            throw CLIError.failed("sluice serve stopped: \(error)")
        }
    }

    /// Serves every member of `databases` (docs/fleets.md).
    private func serveFleet(_ configuration: SluiceConfiguration, glob: String) async throws {
        let format = configuration.log.format.rawValue
        let destination = LogDestination(rawValue: format) ?? LogDestination.automatic()
        let level = Logger.Level(rawValue: configuration.log.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in makeLogHandler(label: label, destination: destination, level: level) }
        let versions = common.versions.map { PathText.resolve($0, relativeTo: PathText.currentDirectory()) }
            ?? configuration.versions ?? PathText.resolve("migrations/versions", relativeTo: PathText.currentDirectory())
        var settings = FleetSettings(configuration: configuration, glob: glob, versionsPath: versions)
        settings.buildVersion = "\(SluiceVersion.current) (\(buildRevision))"
        do {
            try await runUntilStopped(buildFleetDaemon(settings: settings, logger: Logger(label: "sluice")))
        } catch {
            throw CLIError.failed("sluice serve stopped: \(error)")
        }
    }
}
