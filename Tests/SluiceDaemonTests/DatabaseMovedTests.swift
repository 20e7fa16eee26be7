import Foundation
import SluiceConfig
@testable import SluiceDaemon
import SluiceSQLite
import SluiceSystemd
import SluiceTestSupport
import Testing

/// Another writer (`sluice upgrade`, a second daemon) may change the database between
/// the daemon's evaluation and its apply: nothing failed, so the revision is not recorded
/// or held as failed; the apply reports it like a busy database and the queue is derived
/// again. Real files, a real database, the real CLI as the other writer.
@Suite("The database moved between evaluation and apply")
struct DatabaseMovedTests {
    @Test("the daemon's apply of a revision someone else applied is retried, not failed")
    func movedIsNotFailed() async throws {
        let directory = TemporaryDirectory(prefix: "sluice-moved")
        directory.write("versions/a1.sql", RevisionText.make("a1", upgrade: "CREATE TABLE t (x INTEGER);", downgrade: "DROP TABLE t;"))
        let database = directory.url("app.db")
        _ = try Connection(path: database, mode: .readWriteCreate)
        let settings = DaemonSettings(configuration: .defaults, databasePath: database, versionsPath: directory.url("versions"))
        let worker = SingleThreadExecutor.worker(named: "test-database")
        defer { worker.stop() }
        let keeper = QueueKeeper(settings: settings, liveness: Liveness(notifier: RecordingNotifier(), pingInterval: nil), worker: worker, startedAt: Date()) { _ in }
        #expect(await keeper.refresh().current.queue.map(\.id) == ["a1"])

        let other = try SluiceBinary.run(["upgrade", "--database", database, "--versions", directory.url("versions")], in: directory.path)
        #expect(other.status == 0, "\(other.stderr)")

        switch await keeper.apply("a1") {
        case .busy(let reason):
            #expect(reason.contains("the database moved"), "\(reason)")
        case let outcome:
            Issue.record("expected a retry, got \(outcome)")
        }
        let history = try Connection(path: database, mode: .readOnly)
            .rows("SELECT triggered_by, outcome FROM sluice_history WHERE revision = 'a1'").map { $0.compactMap(\.text) }
        #expect(history == [["cli", "applied"]], "no failed row from the daemon: \(history)")
        #expect(await keeper.refresh().current.queue.isEmpty)
    }
}
