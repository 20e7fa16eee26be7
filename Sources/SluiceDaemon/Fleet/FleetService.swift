import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceFleet
import SluiceOS
import SluiceSystemd
import SluiceWatch

/// `sluice serve` for a fleet: watches the versions directory and the members'
/// directory, keeps where every member stands, and rolls what is new out in the
/// maintenance windows as `[rollout]` orders it, telling systemd what it does
/// (`READY=1` once every member was read, `STATUS=rollout r2: 340/1000 applied, 0
/// failed`, the watchdog, `STOPPING=1`) and logging every member's outcome with
/// `database` (`SLUICE_DATABASE` in the journal). One daemon serves a fleet.
public final class FleetService: Service {
    let settings: FleetSettings
    let logger: Logger
    let notifier: any NotifySending
    let liveness: Liveness
    let clock: any DaemonClock
    private let worker = SingleThreadExecutor.worker(named: "sluice-fleet")

    public init(settings: FleetSettings, logger: Logger, notifier: any NotifySending = Notifier(),
                watchdogPing: Duration? = WatchdogSettings.pingInterval(), clock: any DaemonClock = SystemDaemonClock()) {
        self.settings = settings
        self.logger = logger
        self.notifier = notifier
        self.clock = clock
        liveness = Liveness(notifier: notifier, pingInterval: watchdogPing)
    }

    deinit { worker.stop() }

    public func run() async throws {
        let serveLock = try ServeLock(database: PathText.join(settings.directory, ".sluice-fleet"))
        defer { serveLock.release() }
        guard try serveLock.tryAcquire() else {
            throw FleetServeError(description: "another sluice serve serves the fleet \(settings.glob) (\(serveLock.holder())); one daemon serves a fleet")
        }
        let pattern = PathText.lastComponent(of: settings.glob)
        // The watches go in before the first survey, so nothing slips between them.
        let versions = try DirectoryWatcher(directory: settings.versionsPath, settle: settings.configuration.settle)
        let members = try DirectoryWatcher(directory: settings.directory, settle: settings.configuration.settle) { name in
            FleetMembers.isCandidate(name) && fnmatch(pattern, name, FNM_PERIOD) == 0
        }
        versions.start()
        members.start()
        defer {
            versions.stop()
            members.stop()
        }
        let (inputs, continuation) = AsyncStream.makeStream(of: FleetInput.self)
        let hangups = SignalPipe.shared.deliveries(of: [SIGHUP])
        liveness.installSQLiteHook()
        let loop = FleetLoop(settings: settings, logger: logger, notifier: notifier, liveness: liveness, clock: clock,
                             worker: worker, wake: continuation)
        let stopTimeout = settings.configuration.stopTimeout
        let (stopping, stoppingContinuation) = AsyncStream.makeStream(of: Void.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await batch in versions.batches { continuation.yield(.versions(batch)) } }
            group.addTask { for await batch in members.batches { continuation.yield(.members(batch)) } }
            group.addTask { for await _ in hangups { continuation.yield(.reload) } }
            group.addTask { [liveness] in await liveness.heartbeat { continuation.yield(.heartbeat) } }
            group.addTask { [liveness] in
                // Members still running `stop_timeout` after the stop began are
                // interrupted: SQLite rolls their revision back.
                await liveness.interruptApplies(after: stopTimeout, once: stopping) { true }
            }
            logger.info("sluice started", metadata: ["event": "started", "versions": "\(settings.versionsPath)", "databases": "\(settings.glob)", "version": "\(settings.buildVersion)"])
            _ = notifier.send([.status("reading the fleet \(settings.glob)")])
            await loop.start()
            _ = notifier.send([.ready, .status(await loop.statusLine())])
            liveness.markReady()
            await loop.handle(.tick)

            await withGracefulShutdownHandler {
                var stopRequested = false
                for await input in inputs {
                    await loop.handle(input)
                    if case .rolloutDone = input, stopRequested { break }
                    if loop.stopping.withLock({ $0 }) {
                        stopRequested = true
                        if await !loop.isRollingOut { break }
                    }
                }
            } onGracefulShutdown: { [notifier, logger, liveness] in
                logger.notice("stopping", metadata: ["event": "stopping"])
                liveness.beginStopping()
                loop.requestStop()
                stoppingContinuation.yield()
                _ = notifier.send([.stopping, .extendTimeout(stopTimeout + .seconds(5))])
                continuation.yield(.tick)
            }
            await loop.shutDown()
            group.cancelAll()
            continuation.finish()
        }
        logger.info("stopped", metadata: ["event": "stopped"])
    }
}

/// Why the fleet daemon cannot run.
struct FleetServeError: Error, CustomStringConvertible {
    let description: String
}
