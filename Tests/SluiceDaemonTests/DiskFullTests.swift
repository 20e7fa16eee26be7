import Foundation
import Glibc
import SluiceSQLite
import SluiceTestSupport
import Testing

/// The database and its backups on a small tmpfs the test mounts, so the disk really
/// fills up: a backup that does not fit and a revision that does not fit must both fail
/// cleanly, leave the database as it was and keep the daemon running.
@Suite("Disk full: the database and its backups on a small filesystem", .serialized,
       .enabled(if: SmallFilesystem.isAvailable, "needs `mount -t tmpfs`, which takes root with CAP_SYS_ADMIN (unprivileged containers have neither)"))
struct DiskFullTests {
    private static let mebibyte = 1 << 20

    /// A revision that inserts `rows` random 1,000-byte blobs into `table`.
    private static func blobs(_ table: String, rows: Int) -> String {
        "INSERT INTO \(table) SELECT randomblob(1000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(rows)) SELECT x FROM c);"
    }

    /// Should hold the apply, before copying anything, while the backup directory's file
    /// system cannot hold the backup, say why (free and needed space) in the log, the
    /// state file and `status`, leave no partial file and the database untouched, and take
    /// the backup and apply once space is freed.
    @Test("Backup out of space: held before the copy, nothing applied, no partial file, reported; applied after space is freed")
    func backupOutOfSpace() throws {
        // 12 MiB: a 4 MiB database, a 5 MiB filler, so about 3 MiB are left, too few for
        // a copy of the database. Without the filler there is room for the backup and the
        // revision's journal.
        let disk = try SmallFilesystem(bytes: 12 * Self.mebibyte)
        let fixture = DaemonFixture(windows: DaemonFixture.open, database: disk.url("app.db"))
        fixture.drop("f1_payload.sql", RevisionText.make("f1", upgrade: "CREATE TABLE payload (b BLOB);\n" + Self.blobs("payload", rows: 4000), downgrade: "DROP TABLE payload;"))
        let upgrade = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        let filler = try disk.fill("filler", bytes: 5 * Self.mebibyte)
        #expect(disk.freeBytes < 4 * Self.mebibyte, "free: \(disk.freeBytes)")
        let schemaBefore = try SQLiteShell.schema(fixture.database)

        fixture.drop("f2_index.sql", RevisionText.make("f2", revises: ["f1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE notes;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=backup-held") }, "\(daemon.log)")
        #expect(daemon.wait { (daemon.state()?["backup_problem"] as? String) != nil }, "\(String(describing: daemon.state()))")

        // Reported everywhere an operator looks, with the reason.
        #expect(daemon.log.contains("not enough free space in \(disk.url("backups"))"), "\(daemon.log)")
        #expect(!daemon.log.contains("event=backup-failed"), "\(daemon.log)")
        let problem = daemon.state()?["backup_problem"] as? String ?? ""
        #expect(problem.hasPrefix("held: not enough free space") && problem.contains("needs"), "\(problem)")
        let summary = daemon.state()?["summary"] as? String ?? ""
        #expect(summary.hasPrefix("backup held: not enough free space") && summary.contains("1 queued"), "\(summary)")
        let status = try SluiceBinary.run(["status", "--config", fixture.config])
        #expect(status.stdout.contains("daemon pid \(daemon.pid)") && status.stdout.contains("not enough free space"), "\(status.stdout)")
        #expect(status.stdout.contains("f2") && status.stdout.contains("the backup before the run failed"), "\(status.stdout)")

        // Nothing left behind, nothing applied, the database as it was.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: disk.url("backups"))) ?? []
        #expect(left.isEmpty, "\(left)")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "f1\n")
        #expect(try SQLiteShell.schema(fixture.database) == schemaBefore)
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sluice_history WHERE revision = 'f2'") == "0\n")
        #expect(!daemon.log.contains("event=migration-started"), "\(daemon.log)")
        #expect(daemon.process.isRunning)

        // Space freed: the retry (30 s after the failure) takes the backup and applies.
        unlink(filler)
        #expect(daemon.wait(timeout: .seconds(120)) { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "f2\n")
        let backups = BackupStore(directory: disk.url("backups"), keep: 10, database: fixture.database).list()
        #expect(backups.count == 1 && (try? FileManager.default.contentsOfDirectory(atPath: disk.url("backups")))?.count == 1)
        if let backup = backups.first {
            #expect(try SQLiteShell.run(backup, "PRAGMA integrity_check") == "ok\n")
            #expect(try SQLiteShell.run(backup, "SELECT version_num FROM alembic_version") == "f1\n")
            #expect(try SQLiteShell.run(backup, "SELECT count(*) FROM payload") == "4000\n")
        }
        #expect(daemon.wait { daemon.state()?["backup_problem"] == nil && (daemon.state()?["summary"] as? String)?.hasPrefix("idle") == true },
                "\(String(describing: daemon.state()?["summary"]))")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    /// Should roll back a revision whose statements fill the disk, record it as failed,
    /// give the space back, keep running and retry it later rather than hold it;
    /// `sluice upgrade` then fails the same way with exit status 1; once space is freed,
    /// a reload retries at once and applies it. In rollback-journal and in WAL mode alike.
    @Test("Revision out of space: rolled back, recorded, space given back; the CLI exits 1; applied after space is freed", arguments: ["delete", "wal"])
    func revisionOutOfSpace(journalMode: String) throws {
        // 16 MiB with a 13 MiB filler: about 3 MiB left, room for the small database, its
        // backup and their journals, not for the 6 MB of rows the second revision inserts
        // (its rehearsal runs in memory). Without the filler the rows fit twice (WAL mode
        // holds them in the log, then checkpoints them into the database). Where SQLite
        // finds the disk full (the INSERT, when its cache spills, or the COMMIT) is its
        // own business; the outcome must be the same.
        let disk = try SmallFilesystem(bytes: 16 * Self.mebibyte)
        let fixture = DaemonFixture(windows: DaemonFixture.open, database: disk.url("app.db"))
        fixture.drop("g1_base.sql", RevisionText.make("g1", upgrade: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO accounts (name) VALUES ('a'), ('b');", downgrade: "DROP TABLE accounts;"))
        #expect(try SluiceBinary.run(["upgrade", "--config", fixture.config]).status == 0)
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA journal_mode = \(journalMode)") == "\(journalMode)\n")
        let filler = try disk.fill("filler", bytes: 13 * Self.mebibyte)
        let schemaBefore = try SQLiteShell.schema(fixture.database)
        let freeBefore = disk.freeBytes
        #expect(freeBefore < 4 * Self.mebibyte, "free: \(freeBefore)")

        fixture.drop("g2_bulk.sql", RevisionText.make("g2", revises: ["g1"], upgrade: "CREATE TABLE bulk (b BLOB);\n" + Self.blobs("bulk", rows: 6000), downgrade: "DROP TABLE bulk;"))
        let daemon = try fixture.start()
        #expect(daemon.wait(timeout: .seconds(60)) { daemon.log.contains("event=disk-full") }, "\(daemon.log)")
        #expect(daemon.wait { ((daemon.state()?["schedule"] as? [String: String])?["g2"] ?? "").contains("the disk was full") },
                "\(String(describing: daemon.state()?["schedule"]))")
        #expect(!daemon.log.contains("event=failed"), "a full disk is not the revision's fault: \(daemon.log)")
        #expect(daemon.log.contains("database or disk is full"), "\(daemon.log)")
        #expect(daemon.process.isRunning)

        // Rolled back and recorded; the space the statements took is free again.
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "g1\n")
        #expect(try SQLiteShell.schema(fixture.database) == schemaBefore)
        let recorded = try SQLiteShell.run(fixture.database, "SELECT outcome, triggered_by, error_text FROM sluice_history WHERE revision = 'g2' ORDER BY id LIMIT 1")
        #expect(recorded.hasPrefix("failed|daemon|") && recorded.contains("database or disk is full"), "\(recorded)")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA journal_mode") == "\(journalMode)\n")
        #expect(disk.freeBytes > freeBefore - Self.mebibyte / 2, "free before \(freeBefore), after \(disk.freeBytes)")

        // The command line: exit 1, a message that says what happened, nothing changed.
        let upgrade = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains("g2_bulk.sql:") && upgrade.stderr.contains("upgrade of g2 failed: ") && upgrade.stderr.contains("database or disk is full"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("rolled back: nothing of g2 was applied; free disk space and run again"), "\(upgrade.stderr)")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "g1\n")
        #expect(try SQLiteShell.schema(fixture.database) == schemaBefore)
        #expect(try SQLiteShell.run(fixture.database, "SELECT triggered_by FROM sluice_history WHERE revision = 'g2' AND outcome = 'failed' ORDER BY id DESC LIMIT 1") == "cli\n")

        // Space freed and a reload: the daemon tries again at once and applies it.
        unlink(filler)
        daemon.signal(SIGHUP)
        #expect(daemon.wait(timeout: .seconds(60)) { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "g2\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM bulk") == "6000\n")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
