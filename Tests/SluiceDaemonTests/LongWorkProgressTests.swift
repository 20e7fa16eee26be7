import Foundation
import SluiceTestSupport
import Testing

/// What the operator sees while long work runs: backup events with paths, sizes and
/// durations; progress of a long revision in the state file (and `STATUS=`), and on the
/// CLI a progress line that shows only on a terminal.
@Suite("Progress of long work", .serialized)
struct LongWorkProgressTests {
    /// A revision of `count` statements that each compute for a while.
    /// Each statement takes about a second here, so progress (shown once work has run a
    /// second, at a statement's start) appears a few times.
    static func slow(_ id: String, revises: [String] = [], count: Int = 5) -> String {
        let statement = "SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT x FROM c);"
        return RevisionText.make(id, revises: revises, upgrade: "CREATE TABLE t_\(id) (x INTEGER);\n" + Array(repeating: statement, count: count).joined(separator: "\n"),
                                 downgrade: "DROP TABLE t_\(id);")
    }

    @Test("backup-started, backup-created with size and duration, backup-pruned beyond keep")
    func backupEvents() throws {
        let fixture = DaemonFixture(extra: "backups = { keep = 1 }", windows: DaemonFixture.open)
        fixture.drop("p1_base.sql", DaemonFixture.table("p1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        fixture.drop("p2_next.sql", DaemonFixture.table("p2", revises: ["p1"]))
        #expect(daemon.wait { daemon.log.components(separatedBy: "event=applied").count == 3 }, "\(daemon.log)")
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.contains { $0.contains("event=backup-started") && $0.contains("database.bytes=") && $0.contains("backup.directory=") }, "\(daemon.log)")
        let created = lines.filter { $0.contains("event=backup-created") }
        #expect(created.count == 2 && created.allSatisfy { $0.contains("backup.bytes=") && $0.contains("duration.ms=") && $0.contains("backup.path=") }, "\(daemon.log)")
        #expect(lines.contains { $0.contains("event=backup-pruned") && $0.contains("before-p1") && $0.contains("backup.bytes=") }, "\(daemon.log)")
    }

    @Test("a long revision's progress is in the state file while it runs, and gone after")
    func applyProgress() throws {
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("s1_slow.sql", Self.slow("s1"))
        let daemon = try fixture.start()
        var seen = ""
        #expect(daemon.wait(timeout: .seconds(120)) {
            seen = daemon.state()?["progress"] as? String ?? ""
            return seen.contains("statement")
        }, "\(daemon.log)")
        #expect(seen.hasPrefix("applying s1: statement "), "\(seen)")
        #expect(daemon.wait(timeout: .seconds(120)) { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(daemon.wait { daemon.state()?["progress"] == nil }, "\(daemon.state() ?? [:])")
    }

    @Test("a long rehearsal's progress is in the state file while it runs")
    func rehearsalProgress() throws {
        let fixture = DaemonFixture()  // windows closed: only the rehearsal runs
        fixture.drop("b1_base.sql", DaemonFixture.table("b1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.queue() == ["b1"] }, "\(daemon.log)")
        fixture.drop("s1_slow.sql", Self.slow("s1", revises: ["b1"], count: 4))
        var seen = ""
        #expect(daemon.wait(timeout: .seconds(120)) {
            seen = daemon.state()?["progress"] as? String ?? ""
            return seen.contains("statement")
        }, "\(daemon.log)")
        #expect(seen.hasPrefix("rehearsing s1: statement "), "\(seen)")
        #expect(daemon.wait(timeout: .seconds(120)) { daemon.queue() == ["b1", "s1"] }, "\(daemon.log)")
    }

    @Test("the CLI's progress line shows on a terminal and never in a pipe")
    func terminalOnly() throws {
        let directory = TemporaryDirectory(prefix: "sluice-progress")
        directory.write("versions/s1.sql", Self.slow("s1"))
        let common = ["--database", directory.url("app.db"), "--versions", directory.url("versions")]
        let piped = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stderr.contains("\u{1B}[K") && !piped.stderr.contains("statement 1/"), "\(piped.stderr)")

        // Under a pseudo-terminal (util-linux `script`), a line for the rehearsal and one
        // for the apply appear, each erased in place.
        let down = try SluiceBinary.run(["downgrade", "base", "--skip-rehearsal"] + common, in: directory.path)
        #expect(down.status == 0, "\(down.stderr)")
        let command = ([SluiceBinary.path, "upgrade"] + common).joined(separator: " ")
        let terminal = try SluiceBinary.runProgram("/usr/bin/script", ["-qec", command, "/dev/null"], in: directory.path)
        #expect(terminal.status == 0, "\(terminal.stdout)")
        #expect(terminal.stdout.contains("\u{1B}[Krehearsing s1: statement "), "\(terminal.stdout.debugDescription)")
        #expect(terminal.stdout.contains("\u{1B}[Ks1: statement "), "\(terminal.stdout.debugDescription)")
    }
}
