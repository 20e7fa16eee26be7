import Logging
import ServiceLifecycle

/// Builds the daemon's services in dependency order, ready to run: `sluice serve` runs
/// the result, and tests build exactly the same thing.
/// - Parameter reload: reads the configuration again (SIGHUP).
public func buildDaemon(settings: DaemonSettings, logger: Logger, reload: @escaping @Sendable () throws -> DaemonSettings) -> ServiceGroup {
    let migrations = MigrationService(settings: settings, logger: logger, reload: reload)
    return ServiceGroup(configuration: .init(
        services: [.init(service: migrations)],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
