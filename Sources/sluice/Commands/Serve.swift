import ArgumentParser
import Logging
import SluiceDaemon

/// `sluice serve`: run the daemon until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon: watch the versions directory, validate and queue what arrives.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let workspace = try Workspace(common)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: workspace.configuration.log.level.rawValue) ?? .info
            return handler
        }
        let logger = Logger(label: "sluice")
        let settings = DaemonSettings(configuration: workspace.configuration, databasePath: workspace.databasePath, versionsPath: workspace.versionsPath)
        let group = buildDaemon(settings: settings, logger: logger)
        do {
            try await group.run()
        } catch {
            throw CLIError.failed("sluice serve stopped: \(error)")
        }
    }
}
