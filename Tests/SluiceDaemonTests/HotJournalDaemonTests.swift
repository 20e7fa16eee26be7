import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// The daemon meets a hot journal left by a writer that died mid-transaction — itself,
/// or the application — and recovers on its own: it rolls the journal back, logs what it
/// found (`hot-journal-recovered`), and evaluates the database as it really is, instead
/// of holding every revision on "attempt to write a readonly database".
@Suite("sluice serve and hot journals", .serialized)
struct HotJournalDaemonTests {
    private func current(_ daemon: DaemonProcess) -> [String] {
        (daemon.state()?["view"] as? [String: Any])?["current"] as? [String] ?? []
    }

    @Test("SIGKILL of the daemon while the database file is being written: the restart recovers, logs it, and applies the revision")
    func daemonDied() throws {
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("k1_base.sql", RevisionText.make("k1", upgrade: "CREATE TABLE rows (n INTEGER);", downgrade: "DROP TABLE rows;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        fixture.drop("k2_bulk.sql", RevisionText.make("k2", revises: ["k1"], upgrade: """
            CREATE TABLE bulk (n INTEGER, payload TEXT);
            INSERT INTO rows SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x FROM c);
            INSERT INTO bulk SELECT x, printf('%080d', x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);
            """, downgrade: "DROP TABLE bulk;\nDELETE FROM rows;"))
        #expect(daemon.wait(timeout: .seconds(180)) { RollbackJournal.hasHeader(fixture.database) }, "\(daemon.log)")
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        #expect(RollbackJournal.hasHeader(fixture.database), "the revision committed before the kill")

        // Nothing else touches the database: the restarted daemon meets the journal itself.
        let restarted = try fixture.start()
        #expect(restarted.wait(timeout: .seconds(180)) { restarted.log.contains("event=applied") }, "\(restarted.log)")
        #expect(restarted.log.contains("event=hot-journal-recovered"), "\(restarted.log)")
        #expect(!restarted.log.contains("attempt to write a readonly database"), "\(restarted.log)")
        #expect(restarted.wait { current(restarted) == ["k2"] }, "\(restarted.state() ?? [:])")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check; SELECT count(*) FROM rows;") == "ok\n200000\n")
    }

    @Test("the application dies mid-transaction while the daemon runs: the daemon notices, recovers and logs it")
    func applicationDiedWhileServing() throws {
        let fixture = DaemonFixture()
        fixture.drop("a1_base.sql", RevisionText.make("a1", upgrade: "CREATE TABLE rows (n INTEGER);", downgrade: "DROP TABLE rows;"))
        let upgrade = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        let daemon = try fixture.start()
        #expect(daemon.wait { current(daemon) == ["a1"] }, "\(daemon.log)")
        #expect(try ApplicationWriter.dieMidTransaction(fixture.database), "the writer left no journal")
        #expect(daemon.wait { daemon.log.contains("event=hot-journal-recovered") }, "\(daemon.log)")
        #expect(!RollbackJournal.hasHeader(fixture.database))
        #expect(current(daemon) == ["a1"], "\(daemon.state() ?? [:])")
        #expect(!daemon.log.contains("event=external-change"), "the version rows never moved: \(daemon.log)")
    }

    @Test("the application died mid-transaction before the daemon started: the daemon recovers, logs it, and reports the real revision")
    func applicationDied() throws {
        let fixture = DaemonFixture()
        fixture.drop("a1_base.sql", RevisionText.make("a1", upgrade: "CREATE TABLE rows (n INTEGER);", downgrade: "DROP TABLE rows;"))
        let upgrade = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(try ApplicationWriter.dieMidTransaction(fixture.database), "the writer left no journal")
        #expect(RollbackJournal.hasHeader(fixture.database))

        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil && daemon.log.contains("event=hot-journal-recovered") }, "\(daemon.log)")
        #expect(current(daemon) == ["a1"], "\(daemon.state() ?? [:])")
        #expect(daemon.entries("held").isEmpty, "\(daemon.entries("held"))")
        let status = try SluiceBinary.run(["status", "--config", fixture.config])
        #expect(status.stdout.contains("at a1"), "\(status.stdout)")
    }
}
