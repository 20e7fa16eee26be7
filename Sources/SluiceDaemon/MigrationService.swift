import FoundationEssentials
import Glibc
import Logging
import SluiceCore
import ServiceLifecycle
import SluiceOS
import SluiceSchedule
import SluiceSystemd
import SluiceWatch

/// The long-running part of `sluice serve`: watches the versions directory, keeps the
/// queue, applies it in maintenance windows, and tells systemd what it does, until
/// graceful shutdown.
public final class MigrationService: Service {
    let settings: DaemonSettings
    let logger: Logger
    let keeper: QueueKeeper
    /// The thread the keeper's blocking work runs on.
    private let worker = SingleThreadExecutor.worker(named: "sluice-database")
    let notifier: any NotifySending
    let liveness: Liveness
    let clock: any DaemonClock
    let reloadConfiguration: @Sendable () throws -> DaemonSettings

    /// Creates the service; nothing happens until `run()`.
    /// - Parameters:
    ///   - notifier: where `READY=1`, `STATUS=` and the watchdog pings go.
    ///   - clock: the wall clock windows are planned with and the loop sleeps on.
    ///   - reload: reads the configuration again on SIGHUP.
    public init(settings: DaemonSettings, logger: Logger, notifier: any NotifySending = Notifier(),
                watchdogPing: Duration? = WatchdogSettings.pingInterval(), clock: any DaemonClock = SystemDaemonClock(),
                reload: @escaping @Sendable () throws -> DaemonSettings) {
        self.settings = settings
        self.logger = logger
        self.notifier = notifier
        self.clock = clock
        let liveness = Liveness(notifier: notifier, pingInterval: watchdogPing)
        self.liveness = liveness
        self.keeper = QueueKeeper(settings: settings, liveness: liveness, worker: worker, startedAt: clock.now) { line in
            _ = notifier.send([.status(line)])
        }
        self.reloadConfiguration = reload
    }

    deinit { worker.stop() }

    public func run() async throws {
        // One daemon serves a database; a second one on it waits in standby.
        let serveLock = try ServeLock(database: settings.databasePath)
        defer { serveLock.release() }
        let serving = try serveLock.tryAcquire()
        // The watch goes in before the first scan, so nothing slips between them.
        let watcher = try DirectoryWatcher(directory: settings.versionsPath, settle: settings.settle)
        watcher.start()
        defer { watcher.stop() }
        // Changes other processes make to the database (a CLI downgrade, a restore, the
        // application) wake the loop too. Its directory is watched, so it must exist even
        // before the database does (the first apply creates the file in it, as
        // `sluice upgrade` would).
        let databaseDirectory = PathText.parent(of: settings.databasePath)
        if !databaseDirectory.isEmpty, !PathText.exists(databaseDirectory) {
            try? FileManager.default.createDirectory(atPath: databaseDirectory, withIntermediateDirectories: true)
        }
        let databaseWatcher = try DatabaseWatcher(database: settings.databasePath)
        if !databaseWatcher.start() {
            logger.warning("cannot watch the database's directory; changes made by other processes are seen at the next event or reload",
                           metadata: ["event": "error", "database": "\(settings.databasePath)"])
        }
        defer { databaseWatcher.stop() }
        let (inputs, continuation) = AsyncStream.makeStream(of: DaemonInput.self)
        let (stopping, stoppingContinuation) = AsyncStream.makeStream(of: Void.self)
        let hangups = SignalPipe.shared.deliveries(of: [SIGHUP])
        liveness.installSQLiteHook()
        let holder = serving ? nil : serveLock.holder()
        let (servingSignals, nowServing) = AsyncStream.makeStream(of: Void.self)
        let loop = DaemonLoop(service: self, wake: continuation, standby: holder, nowServing: nowServing)
        let stopTimeout = settings.configuration.stopTimeout
        // Everything that wakes the loop is a child task, and so is the stop timeout's
        // interruption of an apply: when the loop ends, they are cancelled and awaited.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await batch in watcher.batches { continuation.yield(.batch(batch)) } }
            group.addTask { for await _ in databaseWatcher.changes { continuation.yield(.databaseChanged) } }
            group.addTask { for await _ in hangups { continuation.yield(.reload) } }
            group.addTask { [liveness] in await liveness.heartbeat { continuation.yield(.heartbeat) } }
            group.addTask { [liveness] in
                // A revision still running `stop_timeout` after the stop began is
                // interrupted: SQLite rolls it back, so it is never left half-applied.
                await liveness.interruptApplies(after: stopTimeout, once: stopping) { loop.isApplying }
            }
            group.addTask { [settings, logger] in
                // The daemon that serves the database takes commands; a standby opens the
                // socket when it takes over.
                for await _ in servingSignals {
                    await Self.takeCommands(settings: settings, logger: logger, loop: loop, into: continuation)
                    return
                }
            }
            logger.info("sluice started", metadata: ["event": "started", "versions": "\(settings.versionsPath)", "database": "\(settings.databasePath)"])
            if let holder {
                logger.warning("standby: another sluice serve serves this database; watching and validating only, until it stops", metadata: [
                    "event": "standby", "database": "\(settings.databasePath)", "holder": "\(holder)", "lock.path": "\(serveLock.path)"])
                serveLock.waitInBackground { result in continuation.yield(.serving(result)) }
            }
            _ = notifier.send([.status("validating \(settings.versionsPath)")])
            await loop.start()
            _ = notifier.send([.ready, .status(await loop.statusLine())])
            liveness.markReady()

            await withGracefulShutdownHandler {
                await loop.run(inputs)
            } onGracefulShutdown: { [notifier, logger, liveness] in
                logger.notice("stopping", metadata: ["event": "stopping"])
                liveness.beginStopping()
                var fields: [NotifyField] = [.stopping]
                if loop.isApplying {
                    // Let the revision finish, up to the bound, then interrupt it.
                    fields.append(.extendTimeout(stopTimeout + .seconds(5)))
                }
                stoppingContinuation.yield()
                _ = notifier.send(fields)
                loop.requestStop()
            }
            group.cancelAll()
            continuation.finish()
        }
        logger.info("stopped", metadata: ["event": "stopped"])
    }

    /// Opens the control socket and hands its commands to the loop until cancelled.
    private static func takeCommands(settings: DaemonSettings, logger: Logger, loop: DaemonLoop,
                                     into inputs: AsyncStream<DaemonInput>.Continuation) async {
        let runtime = getenv("RUNTIME_DIRECTORY").map { String(cString: $0) }
        let path = settings.controlSocketPath(environment: runtime.map { ["RUNTIME_DIRECTORY": $0] } ?? [:])
        let server: ControlServer
        do {
            let access = try ControlAccess.resolve(group: settings.configuration.control.group)
            server = try ControlServer(path: path, access: access, logger: logger)
            logger.info("control socket open", metadata: ["event": "control-open", "control.socket": "\(path)", "control.group": "\(access.groupName)"])
        } catch {
            logger.error("cannot open the control socket; pause, resume, apply-now and retry are unavailable",
                         metadata: ["event": "error", "control.socket": "\(path)", "error": "\(error)"])
            return
        }
        server.start()
        await loop.controlSocketOpened(at: path)
        await withTaskCancellationHandler {
            for await call in server.calls { inputs.yield(.control(call)) }
        } onCancel: {
            server.stop()
        }
    }
}
