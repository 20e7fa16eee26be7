import Foundation
import SluiceTestSupport
import Testing

/// The at-head shortcut of `upgrade head`: taken only when nothing changed, and never
/// wrong when something did — files edited, added or removed, the database moved by
/// someone else, WAL mode, a damaged cache.
@Suite("upgrade head at head: the cached shortcut")
struct AtHeadCacheTests {
    final class Project {
        let directory = TemporaryDirectory()
        var versions: String { directory.url("versions") }
        var database: String { directory.url("app.db") }
        var cache: String { directory.url("cache") }

        init(revisions: Int) {
            try! FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
            for index in 0..<revisions { add(index) }
        }

        func add(_ index: Int) {
            let parents = index == 0 ? [] : ["r\(index - 1)"]
            directory.write("versions/r\(index)_step.sql", RevisionText.make(
                "r\(index)", revises: parents, upgrade: "CREATE TABLE t\(index) (a INTEGER);", downgrade: "DROP TABLE t\(index);"))
        }

        /// `sluice upgrade <target>` with the cache in this project and the trace on.
        func upgrade(_ target: String = "head") throws -> SluiceBinary.Result {
            try SluiceBinary.run(["upgrade", target, "--database", database, "--versions", versions], in: directory.path,
                                 environment: ["XDG_CACHE_HOME": cache, "SLUICE_TRACE_CACHE": "1"])
        }

        func sqlite(_ sql: String) throws -> String {
            try SQLiteShell.run(database, sql)
        }

        var cacheFiles: [String] { (try? FileManager.default.contentsOfDirectory(atPath: cache + "/sluice")) ?? [] }
    }

    /// Files younger than the cache's settle margin are never recorded.
    private func waitUntilSettled() { Thread.sleep(forTimeInterval: 2.2) }

    @Test("Should record after a no-op, then answer from the cache, and follow every later change")
    func hitsAndMisses() throws {
        let project = Project(revisions: 3)
        let first = try project.upgrade()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "r2\n")

        // Fresh files are not recorded (their times may not move on a quick edit) …
        let young = try project.upgrade()
        #expect(young.stderr.contains("at-head cache: miss"))
        #expect(!young.stderr.contains("recorded"))
        waitUntilSettled()
        // … settled ones are, and the next no-op is a hit with the same message.
        let recording = try project.upgrade()
        #expect(recording.stderr.contains("at-head cache: recorded"), "\(recording.stderr)")
        #expect(project.cacheFiles.count == 1)
        let hit = try project.upgrade()
        #expect(hit.status == 0)
        #expect(hit.stderr == "at-head cache: hit\nnothing to do: the database is already there (r2)\n")
        #expect(try project.upgrade("heads").stderr.contains("at-head cache: hit"))

        // Someone else moves the database back: the cache must not hide the upgrade.
        _ = try project.sqlite("DROP TABLE t2; UPDATE alembic_version SET version_num = 'r1';")
        let moved = try project.upgrade()
        #expect(moved.stderr.contains("at-head cache: miss"))
        #expect(moved.stderr.contains("Running upgrade r1 -> r2"))
        #expect(try project.sqlite("SELECT version_num FROM alembic_version") == "r2\n")

        // A new revision file is a miss and gets applied.
        waitUntilSettled()
        _ = try project.upgrade()
        #expect(try project.upgrade().stderr.contains("hit"))
        project.add(3)
        let added = try project.upgrade()
        #expect(added.stderr.contains("at-head cache: miss"))
        #expect(added.stdout == "r3\n")

        // An edited file (same size) is a miss; a broken one fails as it always did.
        waitUntilSettled()
        _ = try project.upgrade()
        let path = project.versions + "/r3_step.sql"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "Revises: r2", with: "Revises: r9").write(toFile: path, atomically: false, encoding: .utf8)
        let broken = try project.upgrade()
        #expect(broken.stderr.contains("at-head cache: miss"))
        #expect(broken.status == 1, "\(broken.stderr)")
        #expect(broken.stderr.contains("r9"))
    }

    @Test("Should never take the shortcut in WAL mode, for other targets, with a damaged cache or when turned off")
    func declines() throws {
        let project = Project(revisions: 2)
        #expect(try project.upgrade().status == 0)
        waitUntilSettled()
        #expect(try project.upgrade().stderr.contains("recorded"))
        #expect(try project.upgrade().stderr.contains("hit"))
        #expect(try project.upgrade("r1").stderr.contains("miss"))

        let cacheFile = project.cache + "/sluice/" + project.cacheFiles[0]
        try "sluice at-head cache 1\ngarbage\n".write(toFile: cacheFile, atomically: false, encoding: .utf8)
        let damaged = try project.upgrade()
        #expect(damaged.stderr.contains("miss"))
        #expect(damaged.stderr.contains("nothing to do"))
        #expect(damaged.stderr.contains("recorded"))

        let off = try SluiceBinary.run(["upgrade", "head", "--database", project.database, "--versions", project.versions],
                                       environment: ["XDG_CACHE_HOME": project.cache, "SLUICE_TRACE_CACHE": "1", "SLUICE_NO_CACHE": "1"])
        #expect(off.stderr.contains("miss"))
        #expect(off.status == 0)

        #expect(try project.sqlite("PRAGMA journal_mode = WAL;") == "wal\n")
        let wal = try project.upgrade()
        #expect(wal.stderr.contains("miss"))
        #expect(wal.stderr.contains("nothing to do: the database is already there (r1)"))
        #expect(!wal.stderr.contains("recorded"))
        #expect(try project.upgrade().stderr.contains("miss"))
    }
}
