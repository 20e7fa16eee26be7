import FoundationEssentials
import Glibc
import SluiceCore
import SluiceSQLite

/// The daemon's blocking half: reads the directory, evaluates the queue against the
/// database and writes the state file. Lives on one `BlockingQueue`.
final class QueueKeeper: @unchecked Sendable {
    // @unchecked: every method runs on the owning BlockingQueue, one at a time; the
    // inspector's cache and `last` are never touched from two threads.
    let settings: DaemonSettings
    let inspector: RevisionFileInspector
    var evaluator: QueueEvaluator
    let stateFile: StateFile
    private(set) var last: QueueEvaluation?
    /// The read-only connection evaluations use, kept open so that unchanged database
    /// contents can be recognised (`PRAGMA data_version`) and rehearsals reused.
    private let reader: DatabaseReader

    init(settings: DaemonSettings) {
        self.settings = settings
        inspector = RevisionFileInspector(strictPermissions: settings.strictPermissions)
        evaluator = QueueEvaluator(databasePath: settings.databasePath, versionsPath: settings.versionsPath,
                                   versionTable: VersionTable(name: settings.versionTable),
                                   allowMultipleHeads: settings.allowMultipleHeads, rehearsalMaxBytes: settings.rehearsalMaxBytes)
        evaluator.policy = settings.policy
        evaluator.copyLimits = settings.configuration.backups.copyLimits
        stateFile = StateFile(path: settings.stateFilePath)
        reader = DatabaseReader(path: settings.databasePath)
        evaluator.onProgress = { [unowned self] line in report(progress: line) }
    }

    /// The connection of the revision being applied, so a stop can interrupt it from
    /// another thread (`sqlite3_interrupt` is safe to call from any thread).
    let inFlight = InFlightConnection()
    /// Set while an evaluation (and its rehearsal) runs: a stop interrupts rehearsals at
    /// once, while a revision being applied gets `stop_timeout` to finish.
    let evaluating = LockedFlag()

    /// Scans and evaluates; returns the previous and the new evaluation, and what had to
    /// be recovered to read the database (a dead writer's hot journal).
    func refresh() -> (previous: QueueView?, current: QueueEvaluation, error: String?, recovered: String?) {
        evaluating.set(true)
        defer { evaluating.set(false) }
        let entries = inspector.scan(settings.versionsPath)
        var openError: String?
        let database: Connection?
        do { database = try reader.connection() } catch { database = nil; openError = "\(error)" }
        let evaluation = evaluator.evaluate(entries, database: database)
        let previous = last?.view
        last = evaluation
        return (previous, evaluation, openError, reader.recovered)
    }

    /// The version rows as they are now, read through the evaluation's connection (a
    /// dead writer's journal rolled back first, and said in `recovered`); `nil` rows when
    /// they cannot be read.
    func versionRows() -> (rows: [String]?, recovered: String?) {
        guard let database = try? reader.connection() else { return (nil, reader.recovered) }
        return (try? evaluator.versionTable.heads(in: database), reader.recovered)
    }

    /// Told each progress line of long work (a backup, a revision), for `STATUS=`; set
    /// once, before the daemon starts.
    var onProgress: ((String) -> Void)?
    /// The last document the loop published, which progress lines update.
    private(set) var lastDocument: StateFile.Document?

    /// Writes the state file.
    func publish(_ document: StateFile.Document) -> String? {
        lastDocument = document
        do {
            try stateFile.write(document)
            return nil
        } catch {
            return error.description
        }
    }
}

/// A Boolean shared between threads.
final class LockedFlag: @unchecked Sendable {
    // @unchecked: `value` is only read and written under `lock`.
    private let lock = ThreadLock()
    private var value = false
    func set(_ newValue: Bool) { lock.lock(); value = newValue; lock.unlock() }
    func get() -> Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// The connection a revision is being applied on, shared with the thread that may
/// interrupt it at stop.
final class InFlightConnection: @unchecked Sendable {
    // @unchecked: `connection` is only read and written under `lock`; the only call made
    // on it from another thread is `interrupt()`, which SQLite allows.
    private let lock = ThreadLock()
    private var connection: Connection?

    func set(_ value: Connection?) { lock.lock(); connection = value; lock.unlock() }

    /// Interrupts the statement running on the in-flight connection, if any.
    func interrupt() {
        lock.lock(); defer { lock.unlock() }
        connection?.interrupt()
    }
}
