import Glibc
import Logging
import ServiceLifecycle
import SluiceOS

/// Builds the daemon's services in dependency order, ready to run: `sluice serve` runs
/// the result, and tests build exactly the same thing.
/// - Parameter reload: reads the configuration again (SIGHUP).
public func buildDaemon(settings: DaemonSettings, logger: Logger, reload: @escaping @Sendable () throws -> DaemonSettings) -> ServiceGroup {
    let migrations = MigrationService(settings: settings, logger: logger, reload: reload)
    return ServiceGroup(configuration: .init(
        services: [.init(service: migrations)],
        logger: logger
    ))
}

/// Builds the fleet daemon's service (`databases` in the configuration).
public func buildFleetDaemon(settings: FleetSettings, logger: Logger) -> ServiceGroup {
    ServiceGroup(configuration: .init(services: [.init(service: FleetService(settings: settings, logger: logger))], logger: logger))
}

/// Runs the daemon's services until SIGTERM or SIGINT starts a graceful shutdown and it
/// completes. The signals come through `SignalPipe` (not ServiceLifecycle's own signal
/// handling, which runs on libdispatch and would keep an idle daemon waking every second).
public func runUntilStopped(_ group: ServiceGroup) async throws {
    let stops = SignalPipe.shared.deliveries(of: [SIGTERM, SIGINT])
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            for await _ in stops { await group.triggerGracefulShutdown() }
        }
        defer { tasks.cancelAll() }
        try await group.run()
    }
}
