import Foundation
@testable import SluiceDaemon
import SluiceSQLite
import SluiceTestSupport
import Testing

/// Passes remembered across restarts (`<database>.sluice-memo`): a restarted evaluator
/// (a new one, as after a restart) rehearses nothing when the build, the schema, the
/// version rows, the settings and the pending files are what they were, and rehearses
/// everything when any of them changed or the file cannot be trusted. Real files, a real
/// database and real rehearsals.
@Suite("Validation memo across restarts")
struct ValidationMemoTests {
    final class Project {
        let directory = TemporaryDirectory(prefix: "sluice-vmemo")
        let inspector = RevisionFileInspector(strictPermissions: false)
        var database: String { directory.url("app.db") }
        var memoPath: String { ValidationMemo.path(forDatabase: database) }
        var versions: String { directory.url("versions") }

        init() throws {
            try FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
            let connection = try Connection(path: database, mode: .readWriteCreate)
            try connection.execute("CREATE TABLE app (x INTEGER)")
        }

        func drop(_ id: String, revises: [String] = [], sql: String? = nil) {
            directory.write("versions/\(id).sql", RevisionText.make(id, revises: revises, upgrade: sql ?? "CREATE TABLE t_\(id) (x INTEGER);", downgrade: "DROP TABLE t_\(id);"))
        }

        /// A chain `c1` … `cN`.
        func chain(_ count: Int) {
            for index in 1...count { drop("c\(index)", revises: index == 1 ? [] : ["c\(index - 1)"]) }
        }

        /// A fresh evaluator and connection, as a restarted daemon has, on `build`.
        func restart(build: String = "0.1.0 (test)", allowAttach: Bool = false) -> (QueueEvaluator, DatabaseReader) {
            var evaluator = QueueEvaluator(databasePath: database, versionsPath: versions, versionTable: VersionTable(name: "alembic_version"),
                                           allowMultipleHeads: false, rehearsalMaxBytes: 1 << 20)
            evaluator.policy = RevisionPolicy(allowAttach: allowAttach)
            evaluator.memoFile = (ValidationMemo(database: database), build, "allow_attach=\(allowAttach)")
            return (evaluator, DatabaseReader(path: database))
        }

        /// One evaluation as the keeper runs it: evaluate, then save the memo.
        func evaluate(_ daemon: (QueueEvaluator, DatabaseReader)) throws -> (queue: [String], report: ValidationMemo.Report?, rehearsed: Bool) {
            let before = daemon.0.memo.rehearsal
            let evaluation = daemon.0.evaluate(inspector.scan(versions), database: try daemon.1.connection())
            daemon.0.saveMemo()
            let rehearsed = daemon.0.memo.rehearsal != nil && daemon.0.memo.rehearsal !== before
            return (evaluation.queue.map(\.id), daemon.0.takeMemoReport(), rehearsed)
        }
    }

    @Test("after a restart with nothing changed, every pending revision is taken from the memo and none is rehearsed")
    func reusedAfterRestart() throws {
        let project = try Project()
        project.chain(40)
        let first = try project.evaluate(project.restart())
        #expect(first.queue.count == 40)
        #expect(first.rehearsed)
        #expect(FileManager.default.fileExists(atPath: project.memoPath))
        let mode = try FileManager.default.attributesOfItem(atPath: project.memoPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let second = try project.evaluate(project.restart())
        #expect(second.queue == first.queue)
        #expect(second.report == .used(revisions: 40))
        #expect(!second.rehearsed, "nothing may be rehearsed when the memo answers for every revision")
    }

    @Test("the estimates the window check uses come back from the memo")
    func estimatesKept() throws {
        let project = try Project()
        project.chain(3)
        let first = project.restart()
        let evaluated = first.0.evaluate(project.inspector.scan(project.versions), database: try first.1.connection())
        first.0.saveMemo()
        let second = project.restart()
        let again = second.0.evaluate(project.inspector.scan(project.versions), database: try second.1.connection())
        #expect(again.view.queue.map(\.upgradeMilliseconds) == evaluated.view.queue.map(\.upgradeMilliseconds))
        #expect(again.view.queue.map(\.rehearsalMilliseconds) == evaluated.view.queue.map(\.rehearsalMilliseconds))
    }

    @Test("a changed schema, version rows, build, settings or file, or one more revision: everything is rehearsed again")
    func otherBasis() throws {
        let project = try Project()
        project.chain(5)
        _ = try project.evaluate(project.restart())

        let writer = try Connection(path: project.database, mode: .readWriteExisting)
        try writer.execute("CREATE INDEX app_x ON app (x)")
        let schema = try project.evaluate(project.restart())
        #expect(schema.report == .ignored(.otherBasis))
        #expect(schema.rehearsed)
        // Saved again on the new schema: the next restart uses it.
        #expect(try project.evaluate(project.restart()).report == .used(revisions: 5))

        // Rows alone do not change the schema: the memo stands (the apply is transactional).
        try writer.execute("INSERT INTO app VALUES (1)")
        #expect(try project.evaluate(project.restart()).report == .used(revisions: 5))

        let build = try project.evaluate(project.restart(build: "0.1.1 (other)"))
        #expect(build.report == .ignored(.otherBasis))
        #expect(build.rehearsed)
        let settings = try project.evaluate(project.restart(build: "0.1.1 (other)", allowAttach: true))
        #expect(settings.report == .ignored(.otherBasis))

        project.drop("c5", revises: ["c4"], sql: "CREATE TABLE t_c5 (x INTEGER, y TEXT);")
        let edited = try project.evaluate(project.restart(build: "0.1.1 (other)", allowAttach: true))
        #expect(edited.report == nil)
        #expect(edited.rehearsed)

        project.drop("c6", revises: ["c5"])
        let added = try project.evaluate(project.restart(build: "0.1.1 (other)", allowAttach: true))
        #expect(added.queue.count == 6)
        #expect(added.rehearsed)

        try writer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('c1'); CREATE TABLE t_c1 (x INTEGER)")
        let moved = try project.evaluate(project.restart(build: "0.1.1 (other)", allowAttach: true))
        #expect(moved.queue.count == 5)
        #expect(moved.report == .ignored(.otherBasis))
    }

    @Test("a corrupt, truncated, foreign-owned or world-writable memo is ignored, never trusted, and replaced")
    func untrusted() throws {
        let project = try Project()
        project.chain(4)
        _ = try project.evaluate(project.restart())
        let good = try Data(contentsOf: URL(fileURLWithPath: project.memoPath))

        // One pass's checksum altered, the digest left as it was.
        var text = String(decoding: good, as: UTF8.self)
        let checksum = try #require(text.range(of: "sha256:")).upperBound
        text.replaceSubrange(checksum..<text.index(after: checksum), with: text[checksum] == "0" ? "1" : "0")
        try Data(text.utf8).write(to: URL(fileURLWithPath: project.memoPath))
        chmod(project.memoPath, 0o600)
        let altered = try project.evaluate(project.restart())
        guard case .ignored(.corrupt)? = altered.report else { Issue.record("altered memo: \(String(describing: altered.report))"); return }
        #expect(altered.rehearsed)
        #expect(altered.queue.count == 4)
        #expect(try project.evaluate(project.restart()).report == .used(revisions: 4), "the rehearsal writes the memo again")

        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: project.memoPath))
        let truncated = try project.evaluate(project.restart())
        guard case .ignored(.corrupt)? = truncated.report else { Issue.record("truncated memo: \(String(describing: truncated.report))"); return }

        chmod(project.memoPath, 0o666)
        let writable = try project.evaluate(project.restart())
        guard case .ignored(.untrusted)? = writable.report else { Issue.record("writable memo: \(String(describing: writable.report))"); return }
        #expect(writable.rehearsed)

        // Not a file to read: a symlink is not followed.
        try FileManager.default.removeItem(atPath: project.memoPath)
        try good.write(to: URL(fileURLWithPath: project.directory.url("elsewhere")))
        symlink(project.directory.url("elsewhere"), project.memoPath)
        let linked = try project.evaluate(project.restart())
        guard case .ignored(.unreadable)? = linked.report else { Issue.record("symlinked memo: \(String(describing: linked.report))"); return }
    }

    @Test("only passes are remembered: a failed revision and what waits for it are rehearsed again after a restart")
    func failuresForgotten() throws {
        let project = try Project()
        project.drop("f1")
        project.drop("f2", revises: ["f1"], sql: "INSERT INTO missing VALUES (1);")
        project.drop("f3", revises: ["f2"])
        let first = try project.evaluate(project.restart())
        #expect(first.queue == ["f1"])
        let file = try Data(contentsOf: URL(fileURLWithPath: project.memoPath))
        let body = file.suffix(from: try #require(file.firstIndex(of: 0x0A)) + 1)
        let document = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let passes = try #require(document["passes"] as? [[String: Any]])
        #expect(passes.compactMap { $0["id"] as? String } == ["f1"])

        let second = try project.evaluate(project.restart())
        #expect(second.queue == ["f1"])
        #expect(second.rehearsed, "f2's failure may have come from the rows or the machine: it is tried again")
    }
}
