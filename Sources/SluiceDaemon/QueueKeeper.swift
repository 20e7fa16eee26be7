import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS
import SluiceSQLite

/// The daemon's blocking half: reads the directory, evaluates the queue against the
/// database, backs up, applies and writes the state file. An actor on its own
/// `SingleThreadExecutor` thread, so SQLite and file reads never block the event loop,
/// and the compiler sees that its state is touched by one thread at a time.
actor QueueKeeper {
    let settings: DaemonSettings
    private let inspector: RevisionFileInspector
    private var evaluator: QueueEvaluator
    let stateFile: StateFile
    private(set) var last: QueueEvaluation?
    /// The read-only connection evaluations use, kept open so that unchanged database
    /// contents can be recognised (`PRAGMA data_version`) and rehearsals reused.
    private let reader: DatabaseReader
    /// The thread everything above is used on.
    private let worker: SingleThreadExecutor
    /// Told when evaluations start and end (a stop interrupts rehearsals at once), and
    /// asked by applies' statements whether the stop timeout has passed.
    let liveness: Liveness
    /// Told each progress line of long work (a backup, a revision), for `STATUS=`.
    let onProgress: @Sendable (String) -> Void
    /// The last document the loop published, which progress lines update.
    private(set) var lastDocument: StateFile.Document?
    /// The metrics file, when `[metrics] textfile` is set.
    private let metrics: DaemonMetrics?
    /// Why the metrics file could not be written last time, so a lasting problem is
    /// logged once, not at every change.
    private var metricsProblem: String?

    nonisolated var unownedExecutor: UnownedSerialExecutor { worker.asUnownedSerialExecutor() }

    init(settings: DaemonSettings, liveness: Liveness, worker: SingleThreadExecutor, startedAt: Date,
         onProgress: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        metrics = settings.configuration.metrics.textfile.map { DaemonMetrics(path: $0, version: settings.buildVersion, startedAt: startedAt) }
        self.liveness = liveness
        self.worker = worker
        self.onProgress = onProgress
        inspector = RevisionFileInspector(strictPermissions: settings.strictPermissions)
        var evaluator = QueueEvaluator(databasePath: settings.databasePath, versionsPath: settings.versionsPath,
                                       versionTable: VersionTable(name: settings.versionTable),
                                       allowMultipleHeads: settings.allowMultipleHeads, rehearsalMaxBytes: settings.rehearsalMaxBytes)
        evaluator.policy = settings.policy
        evaluator.copyLimits = settings.configuration.backups.copyLimits
        evaluator.memoFile = (ValidationMemo(database: settings.databasePath), settings.buildVersion,
                              "version_table=\(settings.versionTable) allow_attach=\(settings.policy.allowAttach) rehearsal_max_bytes=\(settings.rehearsalMaxBytes)")
        self.evaluator = evaluator
        stateFile = StateFile(path: settings.stateFilePath)
        reader = DatabaseReader(path: settings.databasePath)
    }

    /// Scans and evaluates; returns the previous and the new evaluation, and what had to
    /// be recovered to read the database (a dead writer's hot journal).
    func refresh() -> Refresh {
        liveness.evaluating { evaluate() }
    }

    /// What `refresh` returns.
    typealias Refresh = (previous: QueueView?, current: QueueEvaluation, error: String?, recovered: String?, memo: ValidationMemo.Report?)

    private func evaluate() -> Refresh {
        if evaluator.onProgress == nil {
            // Formed here, the closure is isolated to the keeper: rehearsals call it on
            // the worker's thread, inside this method.
            evaluator.onProgress = { [unowned self] line in report(progress: line) }
        }
        let entries = inspector.scan(settings.versionsPath)
        var openError: String?
        let database: Connection?
        do { database = try reader.connection() } catch { database = nil; openError = "\(error)" }
        let evaluation = evaluator.evaluate(entries, database: database)
        if !liveness.isStopping { evaluator.saveMemo() }
        let previous = last?.view
        last = evaluation
        return (previous, evaluation, openError, reader.recovered, evaluator.takeMemoReport())
    }

    /// The version rows as they are now, read through the evaluation's connection (a
    /// dead writer's journal rolled back first, and said in `recovered`); `nil` rows when
    /// they cannot be read.
    func versionRows() -> (rows: [String]?, recovered: String?) {
        guard let database = try? reader.connection() else { return (nil, reader.recovered) }
        return (try? evaluator.versionTable.heads(in: database), reader.recovered)
    }

    /// Holds the whole queue after someone else changed the database, until released.
    func holdExternally(_ reason: String) { evaluator.externalHold = reason }

    /// Releases a hold set by `holdExternally`; returns whether there was one.
    func releaseExternalHold() -> Bool {
        defer { evaluator.externalHold = nil }
        return evaluator.externalHold != nil
    }

    /// Writes the state file, then the metrics file (with the window as the loop reads
    /// it and how many revisions failed).
    /// - Returns: why the state file could not be written, and why the metrics file could
    ///   not be when that is news (a lasting problem is reported once).
    func publish(_ document: StateFile.Document, window: WindowReading, failedRevisions: Int) -> (state: String?, metrics: String?) {
        lastDocument = document
        var stateProblem: String?
        do {
            try stateFile.write(document)
        } catch {
            stateProblem = error.description
        }
        guard let metrics else { return (stateProblem, nil) }
        metrics.update(view: document.view, failedRevisions: failedRevisions, window: window, backups: backupStore)
        var problem: String?
        do { try metrics.write() } catch { problem = error.description }
        defer { metricsProblem = problem }
        return (stateProblem, problem != metricsProblem ? problem : nil)
    }

    /// Counts an apply's outcome in the metrics.
    func noteApply(_ outcome: ApplyOutcome, at now: Date) {
        switch outcome {
        case .applied(let milliseconds): metrics?.recordApplied(duration: .milliseconds(milliseconds), finishedAt: now)
        case .failed: metrics?.recordFailed()
        case .busy, .diskFull: break
        }
    }

    /// Notes a backup's duration in the metrics.
    func noteBackup(duration: Duration) { metrics?.recordBackup(duration: duration) }
}

extension QueueKeeper {
    /// Runs `body` on the worker's thread, for blocking work that is not the keeper's
    /// own (reading the configuration file and the zones it names on a reload), so the
    /// event loop never blocks on it.
    func perform<T: Sendable>(_ body: @Sendable () -> T) -> T { body() }
}

extension QueueKeeper {
    /// Where a pause is kept across restarts: beside the database, which outlives the
    /// runtime directory the state file may be in (systemd empties it at every stop).
    var pausePath: String { settings.databasePath + ".sluice-pause.json" }

    /// The pause an operator set, if one is kept.
    func readPause() -> PauseNote? {
        guard let data = FileManager.default.contents(atPath: pausePath) else { return nil }
        return try? JSONDecoder().decode(PauseNote.self, from: data)
    }

    /// Keeps `note` (or removes the kept pause); returns why that failed, if it did.
    func keepPause(_ note: PauseNote?) -> String? {
        guard let note else {
            if unlink(pausePath) != 0, errno != ENOENT { return "cannot remove \(pausePath): \(Errno.last)" }
            return nil
        }
        do {
            try AtomicFile.write(Array(try JSONEncoder().encode(note)), to: pausePath, mode: 0o640)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
