import FoundationEssentials
import Prometheus
import SluiceOS
import SluiceSQLite

/// The daemon's metrics, in Prometheus' text format, for node_exporter's textfile
/// collector: hosts where the daemon has no network (`PrivateNetwork=yes`) are still
/// monitored where monitoring already looks. The file is replaced whole (`AtomicFile`)
/// after every change the daemon publishes — never on a timer, so an idle daemon stays
/// asleep — and node_exporter reads whatever is there when it is scraped.
///
/// The values live in swift-prometheus' registry, which also writes the format. Used by
/// the `QueueKeeper` actor only, on the database worker's thread.
final class DaemonMetrics {
    /// The file written, ending in `.prom`.
    let path: String
    private let registry = PrometheusCollectorRegistry()
    private let revisions: [String: Gauge]
    private let applied: Counter
    private let failed: Counter
    private let applyDuration: DurationHistogram
    private let lastApplyDuration: Gauge
    private let lastSuccess: Gauge
    private let windowOpen: Gauge
    private let nextWindow: Gauge
    private let backups: Gauge
    private let backupBytes: Gauge
    private let lastBackupDuration: Gauge
    private let paused: Gauge

    /// The states `sluice_revisions` counts, one label value each.
    static let states = ["queued", "waiting", "held", "rejected", "failed"]

    /// The upper bounds of the apply-duration histogram: a revision takes from a few
    /// milliseconds to many minutes.
    static let buckets: [Duration] = [.milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5),
                                      .seconds(15), .seconds(60), .seconds(300), .seconds(1800)]

    /// Metrics for a daemon started at `startedAt`, running `version`.
    init(path: String, version: String, startedAt: Date) {
        self.path = path
        var revisions: [String: Gauge] = [:]
        let revisionsName = Self.name("revisions", "", "Revisions the daemon knows that are not applied, by state (pending = queued + waiting)")
        for state in Self.states {
            revisions[state] = registry.makeGauge(descriptor: revisionsName, labels: [("state", state)])
        }
        self.revisions = revisions
        let applies = Self.name("applies", "total", "Revisions the daemon tried to apply since it started, by outcome")
        applied = registry.makeCounter(descriptor: applies, labels: [("outcome", "applied")])
        failed = registry.makeCounter(descriptor: applies, labels: [("outcome", "failed")])
        applyDuration = registry.makeDurationHistogram(descriptor: Self.name("apply_duration", "seconds", "How long each applied revision took"),
                                                       buckets: Self.buckets)
        lastApplyDuration = registry.makeGauge(descriptor: Self.name("last_apply_duration", "seconds", "How long the last applied revision took"))
        lastSuccess = registry.makeGauge(descriptor: Self.name(
            "last_success_timestamp", "seconds", "When the last revision was applied, in seconds since 1970; 0 before the first"))
        windowOpen = registry.makeGauge(descriptor: Self.name("window_open", "", "1 while a maintenance window is open, else 0"))
        nextWindow = registry.makeGauge(descriptor: Self.name(
            "next_window_timestamp", "seconds",
            "When the next maintenance window opens (the current one's start while one is open), in seconds since 1970; 0 when none is ahead or the window is always open"))
        backups = registry.makeGauge(descriptor: Self.name("backups", "", "Backups of the database kept in the backup directory"))
        backupBytes = registry.makeGauge(descriptor: Self.name("backup", "bytes", "Total size of the backups kept, in bytes"))
        lastBackupDuration = registry.makeGauge(descriptor: Self.name("last_backup_duration", "seconds", "How long the last backup took"))
        paused = registry.makeGauge(descriptor: Self.name("paused", "", "1 while an operator has paused the daemon (`sluice pause`), else 0"))
        registry.makeGauge(descriptor: Self.name("start_time", "seconds", "When the daemon started, in seconds since 1970"))
            .set(startedAt.timeIntervalSince1970)
        registry.makeGauge(descriptor: Self.name("build_info", "", "The running sluice's version; always 1"), labels: [("version", version)])
            .set(1.0)
    }

    /// `sluice_<metric>[_<unit>]`, with its help text.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "sluice", metricName: metric, unitName: unit, helpText: help)
    }

    /// Takes in what the daemon publishes: the queue's counts, how many revisions failed
    /// (held until their files change), the window, and the backups on disk.
    func update(view: QueueView, failedRevisions: Int, window: WindowReading, backups store: BackupStore) {
        let counts = ["queued": view.queue.count, "waiting": view.waiting.count, "held": view.held.count,
                      "rejected": view.rejected.count, "failed": failedRevisions]
        for (state, count) in counts { revisions[state]?.set(Double(count)) }
        windowOpen.set(window.open ? 1.0 : 0.0)
        paused.set(window.paused ? 1.0 : 0.0)
        // An always-open window opened at the beginning of time: nothing to tell.
        nextWindow.set(max(window.nextOpening?.timeIntervalSince1970 ?? 0, 0))
        let footprint = store.footprint()
        backups.set(Double(footprint.count))
        backupBytes.set(Double(footprint.bytes))
    }

    /// Counts an apply that succeeded at `finishedAt` after `duration`.
    func recordApplied(duration: Duration, finishedAt: Date) {
        applied.increment()
        applyDuration.record(duration)
        lastApplyDuration.set(Self.seconds(duration))
        lastSuccess.set(finishedAt.timeIntervalSince1970)
    }

    /// Counts an apply that failed and was rolled back.
    func recordFailed() { failed.increment() }

    /// Notes how long the last backup took.
    func recordBackup(duration: Duration) { lastBackupDuration.set(Self.seconds(duration)) }

    /// Replaces the file with the current values.
    func write() throws(AtomicFile.Failure) {
        try AtomicFile.write(registry.emitToBuffer(), to: path, mode: 0o644, hidden: true, durable: false)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// What the metrics say about maintenance windows, read by the event loop from its
/// calendar when it publishes.
struct WindowReading: Sendable {
    /// A window is open now.
    var open: Bool
    /// When the next opening starts (the open one's start while one is open); `nil`
    /// when none is ahead.
    var nextOpening: Date?
    /// An operator paused the daemon.
    var paused = false
}
