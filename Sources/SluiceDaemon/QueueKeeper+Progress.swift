import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// Progress of long work on the worker thread — a backup, a revision's statements — told
/// while it runs: in `STATUS=` and in the state file (`progress`), at most once a second.
/// The worker writes the state file itself meanwhile: the loop's own writes queue behind
/// the running job on the same thread, so documents still reach the file in order.
final class ProgressReporter {
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    private var lastReport: ContinuousClock.Instant?
    private let interval: Duration
    /// Where each line goes.
    private let emit: (String) -> Void

    init(interval: Duration = .seconds(1), emit: @escaping (String) -> Void) {
        self.interval = interval
        self.emit = emit
        started = clock.now
    }

    /// Seconds since the work began, for the line.
    var elapsed: Duration { clock.now - started }

    /// Reports `line()` unless a line went out less than `interval` ago.
    func tick(_ line: () -> String) {
        let now = clock.now
        if let lastReport, now - lastReport < interval { return }
        // The first line waits a whole interval too: quick work says nothing.
        guard now - started >= interval else { return }
        lastReport = now
        emit(line())
    }
}

extension QueueKeeper {
    /// Writes `text` as the state file's progress (on the last published document) and
    /// hands it to `onProgress` for `STATUS=`.
    func report(progress text: String) {
        onProgress(text)
        guard var document = lastDocument else { return }
        document.progress = text
        document.summary = text
        document.updatedAt = Timestamp.iso8601(Date())
        _ = try? stateFile.write(document)
    }

    /// Whole seconds, for progress lines.
    static func seconds(_ duration: Duration) -> String { "\(duration.components.seconds) s" }

    /// Whole milliseconds, for log metadata.
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
