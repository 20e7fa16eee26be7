import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// The daemon applying its queue on real databases: backups, failures, a busy
/// application, and a kill in the middle of a long revision.
@Suite("sluice serve applies the queue", .serialized)
struct ApplyTests {
    /// Should apply a dropped file in an always-open window, with a valid backup of the
    /// schema before it.
    @Test("Always open: a dropped file is applied, current shows it, the backup holds the schema before")
    func applied() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        fixture.drop("a1_users.sql", RevisionText.make("a1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);\nINSERT INTO users VALUES (1);", downgrade: "DROP TABLE users;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") && daemon.queue().isEmpty }, "\(daemon.log)")
        fixture.drop("a2_email.sql", RevisionText.make("a2", revises: ["a1"], upgrade: "ALTER TABLE users ADD COLUMN email TEXT;", downgrade: "ALTER TABLE users DROP COLUMN email;"))
        #expect(daemon.wait { daemon.log.components(separatedBy: "event=applied").count == 3 }, "\(daemon.log)")
        let current = try SluiceBinary.run(["current", "--config", fixture.config])
        #expect(current.stdout == "a2 (head)\n")
        let backups = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url("backups")).sorted()
        #expect(backups.count == 2)
        let second = fixture.directory.url("backups/\(backups.last { $0.contains("before-a2") }!)")
        #expect(try SQLiteShell.run(second, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(second, "SELECT group_concat(name) FROM pragma_table_info('users')") == "id\n")
        #expect(try SQLiteShell.run(second, "SELECT version_num FROM alembic_version") == "a1\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: second)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let history = try SQLiteShell.run(fixture.database, "SELECT revision, triggered_by, outcome FROM sluice_history ORDER BY id")
        #expect(history == "a1|daemon|applied\na2|daemon|applied\n")
    }

    /// Should leave the database exactly as before when a revision fails on the real
    /// data, and keep later revisions of that branch queued.
    @Test("A failing revision leaves the database as it was; its descendants stay queued")
    func failure() throws {
        // Rehearsals copy only the schema above 1 byte, so the duplicate rows below are
        // not in the rehearsal: the unique index fails only on the real database.
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("b1_base.sql", RevisionText.make("b1", upgrade: "CREATE TABLE cards (id INTEGER PRIMARY KEY, token TEXT);", downgrade: "DROP TABLE cards;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        _ = try SQLiteShell.run(fixture.database, "INSERT INTO cards (token) VALUES ('x'), ('x'), ('y')")
        let schemaBefore = try SQLiteShell.run(fixture.database, "SELECT sql FROM sqlite_master WHERE name NOT IN ('sluice_history') ORDER BY name")
        fixture.drop("b2_unique.sql", RevisionText.make("b2", revises: ["b1"], upgrade: "CREATE TABLE audit (id INTEGER);\nCREATE UNIQUE INDEX ux_token ON cards (token);", downgrade: "DROP INDEX ux_token;\nDROP TABLE audit;"))
        fixture.drop("b3_after.sql", RevisionText.make("b3", revises: ["b2"], upgrade: "CREATE TABLE later (id INTEGER);", downgrade: "DROP TABLE later;"))
        #expect(daemon.wait { daemon.log.contains("event=failed") }, "\(daemon.log)")
        #expect(daemon.wait { (daemon.state()?["summary"] as? String)?.hasPrefix("held: b2 failed") == true }, "\(String(describing: daemon.state()?["summary"]))")
        #expect(try SQLiteShell.run(fixture.database, "SELECT sql FROM sqlite_master WHERE name NOT IN ('sluice_history') ORDER BY name") == schemaBefore)
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM cards") == "3\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "b1\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT outcome, error_line FROM sluice_history WHERE revision = 'b2'") == "failed|9\n")
        #expect(daemon.queue() == ["b2", "b3"])
        let schedule = daemon.state()?["schedule"] as? [String: String]
        #expect(schedule?["b3"]?.contains("b2") == true, "\(String(describing: schedule))")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sluice_history WHERE revision = 'b3'") == "0\n")
    }

    /// Should leave the database at the previous revision when killed during a long
    /// revision, and apply it again after a restart.
    @Test("SIGKILL during a long revision leaves the previous revision; the restart applies it")
    func killedMidRevision() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        fixture.drop("k1_base.sql", RevisionText.make("k1", upgrade: "CREATE TABLE rows (n INTEGER);", downgrade: "DROP TABLE rows;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        fixture.drop("k2_bulk.sql", RevisionText.make("k2", revises: ["k1"], upgrade: """
            CREATE TABLE bulk (n INTEGER, payload TEXT);
            INSERT INTO bulk SELECT x, printf('%080d', x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);
            """, downgrade: "DROP TABLE bulk;"))
        #expect(daemon.wait(timeout: .seconds(120)) { daemon.log.contains("event=migration-started") }, "\(daemon.log)")
        usleep(300_000)
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "k1\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sqlite_master WHERE name = 'bulk'") == "0\n")
        let restarted = try fixture.start()
        #expect(restarted.wait(timeout: .seconds(180)) { restarted.log.contains("event=applied") }, "\(restarted.log)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "k2\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM bulk") == "3000000\n")
    }

    /// Should interrupt and roll back a revision in flight when it outlasts
    /// `stop_timeout` after SIGTERM, and exit cleanly.
    @Test("SIGTERM during a long revision: interrupted after stop_timeout, rolled back, clean exit")
    func stopDuringLongRevision() throws {
        // Rehearsals copy only the schema (1-byte limit): s2 is instant there and endless on
        // the real rows, a cross join of 100,000 rows with themselves.
        let fixture = DaemonFixture(extra: "stop_timeout = \"1s\"\n[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("s1_base.sql", RevisionText.make("s1", upgrade: "CREATE TABLE rows (n INTEGER);", downgrade: "DROP TABLE rows;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        _ = try SQLiteShell.run(fixture.database, "INSERT INTO rows SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c)")
        fixture.drop("s2_long.sql", RevisionText.make("s2", revises: ["s1"], upgrade: """
            CREATE TABLE spin (n INTEGER);
            INSERT INTO spin SELECT count(*) FROM rows a, rows b;
            """, downgrade: "DROP TABLE spin;"))
        #expect(daemon.wait(timeout: .seconds(60)) { daemon.log.contains("event=migration-started") }, "\(daemon.log)")
        // The state file says what is in flight, for `status`.
        #expect(daemon.wait { daemon.state()?["applying"] as? String == "s2" }, "\(String(describing: daemon.state()?["summary"]))")
        #expect((daemon.state()?["summary"] as? String)?.hasPrefix("applying s2") == true)
        let clock = ContinuousClock()
        let start = clock.now
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(clock.now - start < .seconds(15))
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "s1\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sqlite_master WHERE name = 'spin'") == "0\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT outcome FROM sluice_history WHERE revision = 's2'") == "failed\n")
    }

    /// Should stop at once while a rehearsal runs: rehearsals are interrupted.
    @Test("SIGTERM during a long rehearsal stops at once")
    func stopDuringRehearsal() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        fixture.drop("r1_long.sql", RevisionText.make("r1", upgrade: """
            CREATE TABLE spin (n INTEGER);
            INSERT INTO spin SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT x FROM c);
            """, downgrade: "DROP TABLE spin;"))
        #expect(daemon.wait { daemon.log.contains("event=discovered") }, "\(daemon.log)")
        usleep(500_000)
        let clock = ContinuousClock()
        let start = clock.now
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(clock.now - start < .seconds(10), "\(clock.now - start)")
    }
}
