import Logging

/// Logs what changed between two views, one structured record per revision event
/// (validated, queued, rejected, waiting, held).
enum ChangeLog {
    static func report(from previous: QueueView?, to current: QueueView, logger: Logger) {
        let queuedBefore = Set(previous?.queue.map(\.revision) ?? [])
        for entry in current.queue where !queuedBefore.contains(entry.revision) {
            let metadata: Logger.Metadata = ["revision.id": "\(entry.revision)", "revision": "\(entry.revision)", "file": "\(entry.file)", "rehearsal.ms": "\(entry.rehearsalMilliseconds)", "upgrade.ms": "\(entry.upgradeMilliseconds)"]
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
        if let revision = entry.revision {
            metadata["revision.id"] = "\(revision)"
            metadata["revision"] = "\(revision)"
        }
        if let file = entry.file { metadata["file"] = "\(file)" }
        if let line = entry.line { metadata["line"] = "\(line)" }
        return metadata
    }
}
