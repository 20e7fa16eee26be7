import Foundation
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
    let evaluator: QueueEvaluator
    let stateFile: StateFile
    private(set) var last: QueueEvaluation?

    init(settings: DaemonSettings) {
        self.settings = settings
        inspector = RevisionFileInspector(strictPermissions: settings.strictPermissions)
        evaluator = QueueEvaluator(databasePath: settings.databasePath, versionsPath: settings.versionsPath,
                                   versionTable: VersionTable(name: settings.versionTable),
                                   allowMultipleHeads: settings.allowMultipleHeads, rehearsalMaxBytes: settings.rehearsalMaxBytes)
        stateFile = StateFile(path: settings.stateFilePath)
    }

    /// Scans, evaluates and publishes; returns the previous and the new view.
    func refresh() -> (previous: QueueView?, current: QueueView, error: String?) {
        let entries = inspector.scan(settings.versionsPath)
        var database: Connection?
        var openError: String?
        if FileManager.default.fileExists(atPath: settings.databasePath) {
            do { database = try Connection(path: settings.databasePath, mode: .readOnly) } catch { openError = "\(error)" }
        }
        let evaluation = evaluator.evaluate(entries, database: database)
        let previous = last?.view
        last = evaluation
        var publishError = openError
        do {
            try stateFile.write(StateFile.Document(pid: getpid(), updatedAt: Timestamp.iso8601(Date()), summary: evaluation.view.summary, view: evaluation.view))
        } catch {
            publishError = error.description
        }
        return (previous, evaluation.view, publishError)
    }
}
