import Logging
import ServiceLifecycle
import SluiceWatch

/// The long-running part of `sluice serve`: watches the versions directory, keeps the
/// queue and publishes it, until graceful shutdown.
public final class MigrationService: Service {
    let settings: DaemonSettings
    let logger: Logger
    let keeper: QueueKeeper
    let worker = BlockingQueue(label: "sluice.database")

    /// Creates the service; nothing happens until `run()`.
    public init(settings: DaemonSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.keeper = QueueKeeper(settings: settings)
    }

    public func run() async throws {
        // The watch goes in before the first scan, so nothing slips between them.
        let watcher = try DirectoryWatcher(directory: settings.versionsPath, settle: settings.settle)
        watcher.start()
        defer { watcher.stop() }
        logger.info("watching the versions directory", metadata: ["event": "started", "versions": "\(settings.versionsPath)", "database": "\(settings.databasePath)"])
        await refresh(trigger: "start")
        for await batch in watcher.batches.cancelOnGracefulShutdown() {
            if batch.rescan {
                logger.warning("rescanning the versions directory", metadata: ["event": "rescan", "directory.missing": "\(batch.directoryMissing)"])
            }
            for name in batch.changed.sorted() {
                logger.info("revision file changed", metadata: ["event": "discovered", "file": "\(name)"])
            }
            await refresh(trigger: "change")
        }
        logger.info("stopping", metadata: ["event": "stopping"])
    }

    private func refresh(trigger: String) async {
        let keeper = keeper
        let result = await worker.run { keeper.refresh() }
        if let error = result.error {
            logger.error("cannot publish the queue", metadata: ["event": "error", "error": "\(error)"])
        }
        ChangeLog.report(from: result.previous, to: result.current, logger: logger)
        logger.notice("queue updated", metadata: ["event": "state", "summary": "\(result.current.summary)", "trigger": "\(trigger)"])
    }
}

/// Logs what changed between two views, one record per revision event.
enum ChangeLog {
    static func report(from previous: QueueView?, to current: QueueView, logger: Logger) {
        let queuedBefore = Set(previous?.queue.map(\.revision) ?? [])
        for entry in current.queue where !queuedBefore.contains(entry.revision) {
            let metadata: Logger.Metadata = ["revision.id": "\(entry.revision)", "file": "\(entry.file)", "rehearsal.ms": "\(entry.rehearsalMilliseconds)"]
            logger.info("revision validated", metadata: metadata.merging(["event": "validated"]) { $1 })
            logger.info("revision queued", metadata: metadata.merging(["event": "queued"]) { $1 })
        }
        func key(_ entry: QueueView.Entry) -> String { "\(entry.revision ?? "")|\(entry.file ?? "")|\(entry.reason)" }
        let rejectedBefore = Set(previous?.rejected.map(key) ?? [])
        for entry in current.rejected where !rejectedBefore.contains(key(entry)) {
            logger.warning("revision rejected", metadata: metadata(entry, event: "rejected"))
        }
        let waitingBefore = Set(previous?.waiting.map(key) ?? [])
        for entry in current.waiting where !waitingBefore.contains(key(entry)) {
            logger.info("revision waiting", metadata: metadata(entry, event: "waiting"))
        }
        let heldBefore = Set(previous?.held.map(key) ?? [])
        for entry in current.held where !heldBefore.contains(key(entry)) {
            logger.warning("revision held", metadata: metadata(entry, event: "held"))
        }
    }

    private static func metadata(_ entry: QueueView.Entry, event: String) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["event": "\(event)", "reason": "\(entry.reason)"]
        if let revision = entry.revision { metadata["revision.id"] = "\(revision)" }
        if let file = entry.file { metadata["file"] = "\(file)" }
        if let line = entry.line { metadata["line"] = "\(line)" }
        return metadata
    }
}
