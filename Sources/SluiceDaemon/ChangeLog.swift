import Logging

/// Logs what changed between two views, one structured record per revision event
/// (validated, queued, rejected, waiting, held).
///
/// At start-up (no previous view) a category with more than `startupDetail` revisions is
/// logged as one summary record (`event=restored`) instead: a restart of a daemon with
/// ten thousand revisions queued says so in one line, not twenty thousand. Changes
/// after start-up are always logged one by one.
enum ChangeLog {
    /// The most revisions of one category logged one by one at start-up.
    static let startupDetail = 100

    static func report(from previous: QueueView?, to current: QueueView, logger: Logger) {
        if previous == nil, current.queue.count > startupDetail {
            summarize("queued", current.queue.map(\.revision), level: .info, logger: logger)
        } else {
            reportQueued(from: previous, to: current, logger: logger)
        }
        func key(_ entry: QueueView.Entry) -> String { "\(entry.revision ?? "")|\(entry.file ?? "")|\(entry.reason)" }
        let categories: [(name: String, entries: KeyPath<QueueView, [QueueView.Entry]>, level: Logger.Level)] =
            [("rejected", \.rejected, .warning), ("waiting", \.waiting, .info), ("held", \.held, .warning)]
        for category in categories {
            let entries = current[keyPath: category.entries]
            if previous == nil, entries.count > startupDetail {
                summarize(category.name, entries.map { $0.revision ?? $0.file ?? "" }, level: category.level, logger: logger, reason: entries.first?.reason)
                continue
            }
            let known = Set(previous?[keyPath: category.entries].map(key) ?? [])
            for entry in entries where !known.contains(key(entry)) {
                logger.log(level: category.level, "revision \(category.name)", metadata: metadata(entry, event: category.name))
            }
        }
    }

    /// One record for many revisions of one category found at start-up.
    private static func summarize(_ category: String, _ revisions: [String], level: Logger.Level, logger: Logger, reason: String? = nil) {
        var metadata: Logger.Metadata = ["event": "restored", "state": "\(category)", "count": "\(revisions.count)",
                                         "first": "\(revisions.first ?? "")", "last": "\(revisions.last ?? "")"]
        if let reason { metadata["reason"] = "\(reason)" }
        logger.log(level: level, "\(revisions.count) revisions \(category) at start-up (\(revisions.first ?? "") … \(revisions.last ?? "")); `sluice status` lists them",
                   metadata: metadata)
    }

    private static func reportQueued(from previous: QueueView?, to current: QueueView, logger: Logger) {
        let queuedBefore = Set(previous?.queue.map(\.revision) ?? [])
        for entry in current.queue where !queuedBefore.contains(entry.revision) {
            let metadata: Logger.Metadata = ["revision.id": "\(entry.revision)", "revision": "\(entry.revision)", "file": "\(entry.file)", "rehearsal.ms": "\(entry.rehearsalMilliseconds)", "upgrade.ms": "\(entry.upgradeMilliseconds)"]
            logger.info("revision validated", metadata: metadata.merging(["event": "validated"]) { $1 })
            logger.info("revision queued", metadata: metadata.merging(["event": "queued"]) { $1 })
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
