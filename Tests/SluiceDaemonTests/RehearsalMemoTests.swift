import Foundation
@testable import SluiceDaemon
import SluiceSQLite
import SluiceTestSupport
import Testing

/// The evaluator reuses its last rehearsal while the real database and the start of the
/// queue are unchanged, and starts over from a fresh copy otherwise. Real files, a real
/// database and real rehearsals.
@Suite("Rehearsal reuse between evaluations")
struct RehearsalMemoTests {
    final class Setup {
        let directory = TemporaryDirectory(prefix: "sluice-memo")
        let inspector = RevisionFileInspector(strictPermissions: false)
        let evaluator: QueueEvaluator
        let reader: DatabaseReader
        var versions: String { directory.url("versions") }

        init() throws {
            try FileManager.default.createDirectory(atPath: directory.url("versions"), withIntermediateDirectories: true)
            evaluator = QueueEvaluator(databasePath: directory.url("app.db"), versionsPath: directory.url("versions"),
                                       versionTable: VersionTable(name: "alembic_version"), allowMultipleHeads: false,
                                       rehearsalMaxBytes: 1 << 20)
            let connection = try Connection(path: directory.url("app.db"), mode: .readWriteCreate)
            try connection.execute("CREATE TABLE app (x INTEGER)")
            reader = DatabaseReader(path: directory.url("app.db"))
        }

        func drop(_ id: String, revises: [String] = [], sql: String? = nil) {
            directory.write("versions/\(id).sql", RevisionText.make(id, revises: revises, upgrade: sql ?? "CREATE TABLE t_\(id) (x INTEGER);", downgrade: "DROP TABLE t_\(id);"))
        }

        func evaluate() throws -> QueueEvaluation {
            evaluator.evaluate(inspector.scan(versions), database: try reader.connection())
        }
    }

    @Test("a revision added at the end of the queue is rehearsed alone, on the same copy")
    func appended() throws {
        let setup = try Setup()
        setup.drop("a1")
        setup.drop("a2", revises: ["a1"])
        #expect(try setup.evaluate().queue.map(\.id) == ["a1", "a2"])
        let copy = setup.evaluator.memo.rehearsal
        #expect(copy != nil)
        setup.drop("a3", revises: ["a2"])
        #expect(try setup.evaluate().queue.map(\.id) == ["a1", "a2", "a3"])
        #expect(setup.evaluator.memo.rehearsal === copy)
        #expect(setup.evaluator.memo.entries.map(\.id) == ["a1", "a2", "a3"])
        // The copy holds all three, exactly once.
        let tables = try copy!.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 't_a%'")?.integer
        #expect(tables == 3)
    }

    @Test("a write to the real database, a changed file or a new revision in the middle start over")
    func invalidated() throws {
        let setup = try Setup()
        setup.drop("b1")
        setup.drop("b3", revises: ["b1"])
        _ = try setup.evaluate()
        let first = setup.evaluator.memo.rehearsal

        let writer = try Connection(path: setup.directory.url("app.db"), mode: .readWriteCreate)
        try writer.execute("INSERT INTO app VALUES (1)")
        _ = try setup.evaluate()
        let second = setup.evaluator.memo.rehearsal
        #expect(second !== first, "a commit on the real database must invalidate the copy")

        setup.drop("b3", revises: ["b1"], sql: "CREATE TABLE t_b3 (x INTEGER, y TEXT);")
        _ = try setup.evaluate()
        let third = setup.evaluator.memo.rehearsal
        #expect(third !== second, "a changed checksum must invalidate the copy")

        // b2 sorts between b1 and b3 (a second branch): not a prefix any more.
        setup.drop("b2", revises: ["b1"])
        _ = try setup.evaluate()
        #expect(setup.evaluator.memo.rehearsal !== third)
    }

    @Test("a failed revision and the one waiting for it keep their reasons when reused")
    func failuresKept() throws {
        let setup = try Setup()
        setup.drop("c1", sql: "CREATE TABLE t_c1 (x INTEGER);\nSELECT no_such_function();")
        setup.drop("c2", revises: ["c1"])
        let first = try setup.evaluate()
        #expect(first.queue.isEmpty)
        let copy = setup.evaluator.memo.rehearsal
        let again = try setup.evaluate()
        #expect(setup.evaluator.memo.rehearsal === copy)
        #expect(again.view.rejected.contains { $0.revision == "c1" && $0.reason.contains("no_such_function") })
        #expect(again.view.waiting.contains { $0.revision == "c2" && $0.reason.contains("c1") })
    }
}
