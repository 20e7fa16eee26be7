import Foundation
import SluiceTestSupport
import Testing

/// End-to-end tests of the built `sluice` binary, run as a separate process on real
/// files, as operators and scripts run it.
@Suite("sluice CLI end to end")
struct CLITests {
    /// The repository root, to reach the bundled example.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A project with its own copy of the bundled example's versions directory.
    final class Project {
        let directory = TemporaryDirectory()
        var versions: String { directory.url("versions") }
        var database: String { directory.url("app.db") }
        var options: [String] { ["--database", database, "--versions", versions] }

        init(example: Bool = true) {
            try! FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
            guard example else { return }
            let source = CLITests.root + "/migrations/versions"
            for name in try! FileManager.default.contentsOfDirectory(atPath: source) {
                try! FileManager.default.copyItem(atPath: source + "/" + name, toPath: versions + "/" + name)
            }
        }

        @discardableResult
        func sluice(_ arguments: String..., extra: [String] = []) throws -> SluiceBinary.Result {
            try SluiceBinary.run([arguments[0]] + options + Array(arguments.dropFirst()) + extra, in: directory.path)
        }

        func sqlite(_ database: String, _ sql: String) throws -> String {
            try SQLiteShell.run(database, sql)
        }
    }

    /// Should init the example, show it with current and history, and pass check.
    @Test("The bundled example: init, current, history, check")
    func example() throws {
        let project = Project()
        let initResult = try project.sluice("init")
        #expect(initResult.status == 0, "\(initResult.stderr)")
        let current = try project.sluice("current")
        #expect(current.stdout == "e9a3b5c7d1f2 (head) (mergepoint)\n")
        let history = try project.sluice("history")
        #expect(history.stdout.contains("1975ea83b712 -> ae1027a6acf0, Add email column to users table"))
        #expect(history.stdout.contains("b7e4f2a91c03, c41f6e9b2d85 -> e9a3b5c7d1f2 (ledger, sessions) (head) (current) (mergepoint), Merge transactions and sessions"))
        #expect(history.stdout.contains("ae1027a6acf0 -> 3c8a9d2f1b47 (branchpoint), Create payment cards table"))
        let check = try project.sluice("check")
        #expect(check.status == 0, "\(check.stdout)")
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "e9a3b5c7d1f2\n")
        #expect(try project.sluice("current", "--check-heads").status == 0)
    }

    /// Should refuse `upgrade head` with two heads naming both, and apply both with `heads`.
    @Test("Two heads: head is refused, heads applies both")
    func twoHeads() throws {
        let project = Project()
        try FileManager.default.removeItem(atPath: project.versions + "/e9a3b5c7d1f2_merge_transactions_and_sessions.sql")
        let refused = try project.sluice("upgrade", "head")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("b7e4f2a91c03") && refused.stderr.contains("c41f6e9b2d85") && refused.stderr.contains("merge"))
        #expect(try project.sluice("upgrade", "heads").status == 0)
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version ORDER BY 1") == "b7e4f2a91c03\nc41f6e9b2d85\n")
        #expect(try project.sluice("current", "--check-heads").status == 0)
        let merge = try project.sluice("merge", "-m", "join the branches", "heads", extra: ["--rev-id", "f00d"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try project.sluice("current", "--check-heads").status == 1)
        #expect(try project.sluice("upgrade").status == 0)
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "f00d\n")
        // Down through the merge: -1 is an ambiguous walk (as in Alembic); naming a
        // parent unapplies the merge and both heads come back.
        let ambiguous = try project.sluice("downgrade", "-1")
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("Ambiguous walk") && ambiguous.stderr.contains("is a merge of"))
        #expect(try project.sluice("downgrade", "c41f6e9b2d85").status == 0)
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version ORDER BY 1") == "b7e4f2a91c03\nc41f6e9b2d85\n")
    }

    /// Should give the same schema and version rows from `upgrade --sql | sqlite3` as
    /// from `upgrade`.
    @Test("--sql fed to sqlite3 gives the same schema as upgrade")
    func offlineSQL() throws {
        let project = Project()
        let script = try project.sluice("upgrade", "heads", "--sql")
        #expect(script.status == 0)
        #expect(!FileManager.default.fileExists(atPath: project.database), "--sql must not create the database")
        let offline = project.directory.url("offline.db")
        let fed = try SluiceBinary.runProgram("/usr/bin/sqlite3", ["-bail", offline], input: script.stdout)
        #expect(fed.status == 0, "\(fed.stderr)")
        #expect(try project.sluice("upgrade", "heads").status == 0)
        let schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        #expect(try project.sqlite(offline, schema) == project.sqlite(project.database, schema))
        let versions = "SELECT version_num FROM alembic_version ORDER BY 1"
        #expect(try project.sqlite(offline, versions) == project.sqlite(project.database, versions))
        let downgrade = try project.sluice("downgrade", "base", "--sql")
        #expect(downgrade.stdout.contains("DROP TABLE users;"))
    }

    /// Should exit 0 on the example and 1 naming the file and line of a downgrade that
    /// does not restore the schema.
    @Test("check: 1 with file and line on a bad downgrade")
    func checkFails() throws {
        let project = Project()
        let bad = project.directory.write("versions/0badd0wn_bad.sql", RevisionText.make("0badd0wn", revises: ["e9a3b5c7d1f2"], upgrade: "CREATE TABLE audit (id INTEGER PRIMARY KEY);", downgrade: "SELECT 1;"))
        let result = try project.sluice("check")
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(bad):10: the downgrade does not restore the schema"))
        let json = try project.sluice("check", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false)
    }

    /// Should print the state document's own keys at the top level, as the state file has
    /// them, with `source` beside them (no daemon runs here, so `disk`).
    @Test("status --json: the state document's keys, source beside them")
    func statusJSON() throws {
        let project = Project()
        #expect(try project.sluice("upgrade", "ae1027a6acf0").status == 0)
        let status = try project.sluice("status", "--json")
        #expect(status.status == 0, "\(status.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["source"] as? String == "disk")
        #expect(object["pid"] as? Int == 0)
        #expect(object["configuration_error"] == nil)
        #expect(["updated_at", "summary", "schedule", "view"].allSatisfy { object[$0] != nil }, "\(status.stdout)")
        let view = try #require(object["view"] as? [String: Any])
        #expect(view["current"] as? [String] == ["ae1027a6acf0"])
        #expect((view["queue"] as? [[String: Any]])?.count == 5, "\(status.stdout)")
    }

    /// Should accept stamp and stamp --purge, changing only the version table.
    @Test("stamp and stamp --purge")
    func stamp() throws {
        let project = Project()
        #expect(try project.sluice("stamp", "ae1027a6acf0").status == 0)
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "ae1027a6acf0\n")
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM sqlite_master WHERE name = 'users'") == "0\n")
        _ = try project.sqlite(project.database, "UPDATE alembic_version SET version_num = 'gone123'")
        let unknown = try project.sluice("stamp", "head")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--purge"))
        #expect(try project.sluice("stamp", "--purge", "1975ea83b712").status == 0)
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "1975ea83b712\n")
    }

    /// Should let exactly one of two racing processes apply each revision.
    @Test("Two processes racing to upgrade: each revision applied once")
    func race() throws {
        let project = Project()
        let processes = (0..<2).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SluiceBinary.path)
            process.arguments = ["upgrade", "heads"] + project.options
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try project.sqlite(project.database, "SELECT count(*), count(DISTINCT revision) FROM sluice_history WHERE outcome = 'applied'") == "7|7\n")
    }

    /// Should go down to base and up again, keeping the rows the application wrote only
    /// where a revision put them; and, where a revision cannot be downgraded, drop every
    /// object instead and upgrade from empty.
    @Test("reset --yes: down and up again; with an irreversible revision, drop and rebuild")
    func reset() throws {
        let project = Project(example: false)
        project.directory.write("versions/aa01_r.sql", RevisionText.make("aa01", upgrade: "CREATE TABLE a (id INTEGER);", downgrade: "DROP TABLE a;"))
        project.directory.write("versions/bb02_r.sql", RevisionText.make("bb02", revises: ["aa01"], upgrade: "CREATE TABLE b (id INTEGER);", downgrade: "DROP TABLE b;"))
        #expect(try project.sluice("init").status == 0)
        _ = try project.sqlite(project.database, "INSERT INTO a VALUES (1); CREATE TABLE stray (x);")
        let reversible = try project.sluice("reset", "--yes")
        #expect(reversible.status == 0, "\(reversible.stderr)")
        #expect(reversible.stderr.contains("reset: downgrading 2 revision(s) to base"))
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "bb02\n")
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM a") == "0\n")
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM sqlite_master WHERE name = 'stray'") == "1\n")

        project.directory.write("versions/cc03_r.sql", RevisionText.make("cc03", revises: ["bb02"], upgrade: "CREATE TABLE c (id INTEGER);", downgrade: nil))
        #expect(try project.sluice("upgrade", "heads").status == 0)
        let irreversible = try project.sluice("reset", "--yes")
        #expect(irreversible.status == 0, "\(irreversible.stderr)")
        #expect(irreversible.stderr.contains("reset: cc03 cannot be downgraded; dropping every table, view, index and trigger instead"))
        #expect(irreversible.stderr.contains("dropping table stray"))
        #expect(try project.sqlite(project.database, "SELECT version_num FROM alembic_version") == "cc03\n")
        #expect(try project.sqlite(project.database, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('alembic_version', 'sluice_history') ORDER BY 1") == "a\nb\nc\n")
    }

    /// Should exit 2 for bad usage and a bad configuration, naming the key.
    @Test("Exit status 2 for usage and configuration errors")
    func usage() throws {
        let project = Project()
        #expect(try project.sluice("upgrade", "--no-such-flag").status == 2)
        #expect(try SluiceBinary.run(["reset", "--database", project.database]).status == 2)
        let config = project.directory.write("bad.toml", "database = \"x.db\"\nsettle = \"5 parsecs\"\n")
        let bad = try SluiceBinary.run(["current", "--config", config])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("settle"))
    }

    /// Should write a revision from the template whose parent is the head.
    @Test("create writes a parsable revision on top of the head")
    func create() throws {
        let project = Project()
        let created = try project.sluice("create", "-m", "Add cardholder name", extra: ["--rev-id", "abc123"])
        #expect(created.status == 0, "\(created.stderr)")
        let path = project.versions + "/abc123_add_cardholder_name.sql"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("-- Revises: e9a3b5c7d1f2"))
        #expect(try project.sluice("heads").stdout == "abc123 (ledger, sessions) (head)\n")
    }

    /// Should list the next openings in UTC and local time, blackouts cut out, in text and
    /// JSON.
    @Test("windows --next N, text and JSON")
    func windows() throws {
        let project = Project(example: false)
        let config = project.directory.write("w.toml", """
            database = "x.db"
            [[window]]
            name     = "weekend"
            days     = ["sat", "sun"]
            start    = "02:00"
            duration = "2h"
            timezone = "Europe/Berlin"
            [[window]]
            name     = "nightly"
            days     = ["mon", "tue", "wed", "thu", "fri"]
            start    = "23:30"
            duration = "1h"
            timezone = "America/New_York"
            """)
        let text = try SluiceBinary.run(["windows", "--config", config, "--next", "6"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.contains { $0.hasPrefix("weekend\t") && $0.contains(" 02:00 ") && $0.contains("Europe/Berlin") })
        #expect(lines.contains { $0.hasPrefix("nightly\t") && $0.contains("America/New_York") && $0.contains("23:30") })
        let json = try SluiceBinary.run(["windows", "--config", config, "--next", "6", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let openings = try #require(object["openings"] as? [[String: Any]])
        #expect(openings.count == 6)
        let starts = openings.compactMap { $0["start"] as? String }
        #expect(starts == starts.sorted(), "openings in time order")
        #expect(openings.allSatisfy { opening in
            guard let start = opening["start"] as? String, let end = opening["end"] as? String else { return false }
            return end > start
        })
        #expect(Set(openings.compactMap { $0["window"] as? String }) == ["weekend", "nightly"])
        #expect(try SluiceBinary.run(["windows", "--config", config, "--next", "0"]).status == 2)
    }
}
