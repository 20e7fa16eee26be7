import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// Changes other processes make to the database are seen by a running daemon at once,
/// without a reload and without polling (inotify on the database's directory): a CLI
/// downgrade or a `sluice restore` moves the state file, is logged as `external-change`,
/// and — since revisions were taken away on purpose — holds the queue until a reload.
@Suite("sluice serve sees changes made by others", .serialized)
struct ExternalChangeTests {
    private func current(_ daemon: DaemonProcess) -> [String] {
        (daemon.state()?["view"] as? [String: Any])?["current"] as? [String] ?? []
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("a CLI downgrade is seen without SIGHUP, holds the queue, and a reload releases it")
    func externalDowngrade() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        fixture.drop("e1_base.sql", DaemonFixture.table("e1"))
        fixture.drop("e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        let daemon = try fixture.start()
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")

        // The application writing its own rows is not a change of revision.
        let app = try SluiceBinary.runProgram(ApplicationWriter.python, ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for i in range(20):
                db.execute("CREATE TABLE IF NOT EXISTS app_rows (n INTEGER)")
                db.execute("INSERT INTO app_rows VALUES (?)", (i,))
                db.commit()
            """, fixture.database])
        #expect(app.status == 0, "\(app.stderr)")

        let down = try SluiceBinary.run(["downgrade", "-1", "--config", fixture.config])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stderr.contains("note: sluice serve (host="), "\(down.stderr)")
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.state() ?? [:])")
        #expect(daemon.wait { daemon.log.contains("event=external-change") }, "\(daemon.log)")
        #expect(count("event=external-change", in: daemon.log) == 1, "\(daemon.log)")
        #expect(daemon.log.contains("heads.before=e2") && daemon.log.contains("heads.after=e1"), "\(daemon.log)")
        let held = daemon.entries("held")
        #expect(held.contains { ($0["revision"] as? String) == "e2" && (($0["reason"] as? String) ?? "").contains("changed outside this daemon") }, "\(held)")
        let status = try SluiceBinary.run(["status", "--exit-code", "--config", fixture.config])
        #expect(status.status == 3, "\(status.stdout)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "e1\n")

        daemon.signal(SIGHUP)
        #expect(daemon.wait { daemon.log.contains("event=external-hold-released") }, "\(daemon.log)")
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "e2\n")
    }

    @Test("a sluice restore is seen without SIGHUP")
    func externalRestore() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        fixture.drop("e1_base.sql", DaemonFixture.table("e1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.log)")
        fixture.drop("e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")
        // The backup taken before e2 holds the database at e1.
        let backups = fixture.directory.url("backups")
        let before = try #require(try FileManager.default.contentsOfDirectory(atPath: backups).filter { $0.contains("before-e2") }.first)
        let restore = try SluiceBinary.run(["restore", (backups as NSString).appendingPathComponent(before), "--config", fixture.config])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.state() ?? [:])")
        #expect(daemon.log.contains("event=external-change"), "\(daemon.log)")
        #expect(daemon.entries("held").contains { ($0["revision"] as? String) == "e2" }, "\(daemon.entries("held"))")
    }

    @Test("an upgrade made by hand is seen and logged, and holds nothing")
    func externalUpgrade() throws {
        let fixture = DaemonFixture()  // windows closed: the daemon applies nothing itself
        fixture.drop("e1_base.sql", DaemonFixture.table("e1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.queue() == ["e1"] }, "\(daemon.log)")
        let up = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(up.status == 0, "\(up.stderr)")
        #expect(daemon.wait { current(daemon) == ["e1"] && daemon.queue().isEmpty }, "\(daemon.state() ?? [:])")
        #expect(daemon.log.contains("event=external-change"), "\(daemon.log)")
        #expect(daemon.entries("held").isEmpty, "\(daemon.entries("held"))")
    }
}
