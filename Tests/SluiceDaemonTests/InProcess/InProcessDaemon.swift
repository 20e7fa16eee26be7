import Foundation
import Logging
import ServiceLifecycle
import SluiceConfig
@testable import SluiceDaemon
import SluiceSystemd
import Synchronization

/// The daemon's services run inside the test process, exactly as `sluice serve` builds
/// them, but on a `ManualDaemonClock` and with every notification and log record
/// recorded: a test moves the clock and awaits what the daemon says, and never sleeps.
/// The files, the database, inotify and the worker thread are all real.
final class InProcessDaemon: Sendable {
    let clock: ManualDaemonClock
    let pulse = Pulse()
    private let recorder = RecordingNotifier()
    private let records = LogRecords()
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Runs `body` with a daemon started on `fixture`'s configuration, the wall clock at
    /// `now`, and stops the daemon afterwards, whatever `body` did. The daemon and
    /// `body` run on a thread of their own, as `sluice serve` does: tests that block the
    /// shared pool's few threads cannot hold them up.
    static func run(_ fixture: DaemonFixture, now: Date, _ body: (InProcessDaemon) async throws -> Void) async throws {
        let executor = SingleThreadExecutor.worker(named: "test-daemon-loop")
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) {
            let daemon = try InProcessDaemon(fixture, now: now, executor: executor)
            do {
                try await body(daemon)
            } catch {
                try? await daemon.stop()
                throw error
            }
            try await daemon.stop()
        }
    }

    private init(_ fixture: DaemonFixture, now: Date, executor: SingleThreadExecutor) throws {
        let pulse = pulse
        clock = ManualDaemonClock(now: now, pulse: pulse)
        let configuration = try SluiceConfiguration.load(path: fixture.config)
        var settings = DaemonSettings(configuration: configuration, databasePath: fixture.database, versionsPath: fixture.versions)
        settings.stateFilePath = fixture.statePath
        let notifier = PulsingNotifier(recorder: recorder, pulse: pulse)
        let records = records
        let logger = Logger(label: "sluice-test") { _ in
            RecordingLogHandler { level, message, metadata in
                records.entries.withLock { $0.append((level, message, metadata)) }
                pulse.fire()
            }
        }
        let resolved = settings
        let service = MigrationService(settings: resolved, logger: logger, notifier: notifier, watchdogPing: nil, clock: clock) { resolved }
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "sluice-test-group") { _ in SwiftLogNoOpLogHandler() }))
        self.group = group
        running = Task(executorPreference: executor) { try await group.run() }
    }

    /// Every `STATUS=` text sent so far, oldest first.
    var statuses: [String] {
        recorder.messages.flatMap { $0 }.compactMap { field in
            if case .status(let text) = field { return text }
            return nil
        }
    }

    /// The `event` of every log record so far, oldest first.
    var events: [String] { records.entries.withLock { $0.compactMap { $0.metadata["event"].map { "\($0)" } } } }

    /// Whether `READY=1` went out.
    var isReady: Bool { recorder.messages.contains { $0.contains(.ready) } }

    /// How many log records had `event`.
    func count(_ event: String) -> Int { events.filter { $0 == event }.count }

    /// Awaits `condition` (re-checked whenever the daemon says something or arms a timer).
    func wait(until condition: @escaping @Sendable (InProcessDaemon) -> Bool) async -> Bool {
        await pulse.wait { [self] in condition(self) }
    }

    /// Moves the clock and lets the daemon act on it.
    func advance(to date: Date) { clock.advance(to: date) }

    /// Starts a graceful shutdown and waits for the services to end.
    private func stop() async throws {
        await group.triggerGracefulShutdown()
        try await running.value
    }
}

/// The log records a daemon wrote, oldest first.
private final class LogRecords: Sendable {
    let entries = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])
}

/// Hands every notification to a `RecordingNotifier` and wakes waiting tests.
private struct PulsingNotifier: NotifySending {
    let recorder: RecordingNotifier
    let pulse: Pulse
    func send(_ fields: [NotifyField]) -> NotifyResult {
        defer { pulse.fire() }
        return recorder.send(fields)
    }
}

/// A `LogHandler` that hands every record to a closure.
private struct RecordingLogHandler: LogHandler {
    let record: @Sendable (Logger.Level, String, Logger.Metadata) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(record: @escaping @Sendable (Logger.Level, String, Logger.Metadata) -> Void) { self.record = record }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        record(event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
