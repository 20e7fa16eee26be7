import Logging
import ServiceLifecycle

/// Builds the daemon's services in dependency order, ready to run: `sluice serve` runs
/// the result, and tests build exactly the same thing.
public func buildDaemon(settings: DaemonSettings, logger: Logger) -> ServiceGroup {
    let migrations = MigrationService(settings: settings, logger: logger)
    return ServiceGroup(configuration: .init(
        services: [.init(service: migrations)],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    ))
}
