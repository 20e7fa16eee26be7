import Foundation
import Glibc
import SluiceSQLite
import SluiceTestSupport
import Testing

/// `SIGKILL` while the daemon copies the database into a backup: the database must be
/// untouched, the half-written copy never taken for a backup, and a restarted daemon must
/// clean it up, take a whole backup and apply the queue.
@Suite("sluice serve killed during a backup", .serialized)
struct BackupKillTests {
    /// Should leave the database untouched and an unfinished `.partial` copy that is not
    /// a backup; the restart removes it, takes a fresh backup that opens cleanly, and
    /// applies the revision.
    @Test("SIGKILL while the backup is copied: database untouched, the .partial is no backup and is removed, restart backs up and applies")
    func killedDuringBackup() throws {
        // keep = 1: were the partial counted as a backup, pruning would have to choose.
        // Rehearsals copy only the schema (1 byte limit), so the daemon reaches the
        // backup quickly. The database is in WAL mode, whose copy is paced at max_rate:
        // 64 MB at 8 MiB/s takes about 8 s, so the kill catches it in the act on any
        // machine (a rollback-journal copy under one lock can finish, or be held for a
        // predicted stall, before the kill lands).
        let fixture = DaemonFixture(extra: "backups = { keep = 1, max_rate = \"8MiB\" }\n[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("h1_payload.sql", RevisionText.make("h1", upgrade: """
            CREATE TABLE payload (b BLOB);
            INSERT INTO payload SELECT randomblob(1000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 64000) SELECT x FROM c);
            """, downgrade: "DROP TABLE payload;"))
        let upgrade = try SluiceBinary.run(["upgrade", "--config", fixture.config])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA journal_mode = WAL") == "wal\n")
        let schemaBefore = try SQLiteShell.schema(fixture.database)
        let backupDirectory = fixture.directory.url("backups")
        try FileManager.default.createDirectory(atPath: backupDirectory, withIntermediateDirectories: true)
        let creations = try CreationWatch(directory: backupDirectory)

        fixture.drop("h2_notes.sql", RevisionText.make("h2", revises: ["h1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE notes;"))
        let daemon = try fixture.start()
        let partial = creations.next(timeout: .seconds(120)) { $0.hasSuffix(BackupStore.unfinishedSuffix) }
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        let name = try #require(partial, "no backup was started: \(daemon.log)")

        // Caught in the act: the copy is there, unfinished, and nothing calls it a backup.
        let store = BackupStore(directory: backupDirectory, keep: 1, database: fixture.database)
        #expect(FileManager.default.fileExists(atPath: (backupDirectory as NSString).appendingPathComponent(name)),
                "the backup finished before the kill: \(daemon.log)")
        #expect(store.list().isEmpty, "\(store.list())")
        #expect(!daemon.log.contains("event=backup-created"), "\(daemon.log)")

        // The database is untouched.
        #expect(try SQLiteShell.run(fixture.database, "PRAGMA integrity_check") == "ok\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "h1\n")
        #expect(try SQLiteShell.schema(fixture.database) == schemaBefore)
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sluice_history WHERE revision = 'h2'") == "0\n")

        // The restart removes the unfinished copy, backs up afresh and applies.
        let restarted = try fixture.start()
        #expect(restarted.wait(timeout: .seconds(180)) { restarted.log.contains("event=applied") }, "\(restarted.log)")
        #expect(restarted.log.contains("event=backup-unfinished-removed") && restarted.log.contains(name), "\(restarted.log)")
        let files = try FileManager.default.contentsOfDirectory(atPath: backupDirectory)
        #expect(!files.contains { $0.contains(BackupStore.unfinishedSuffix) }, "\(files)")
        let backups = store.list()
        #expect(backups.count == 1 && files.count == 1, "\(files)")
        if let backup = backups.first {
            #expect(backup.hasSuffix("-before-h2.db"))
            #expect(try SQLiteShell.run(backup, "PRAGMA integrity_check") == "ok\n")
            #expect(try SQLiteShell.run(backup, "SELECT version_num FROM alembic_version") == "h1\n")
            #expect(try SQLiteShell.run(backup, "SELECT count(*) FROM payload") == "64000\n")
        }
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "h2\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*), triggered_by FROM sluice_history WHERE revision = 'h2' AND outcome = 'applied'") == "1|daemon\n")
        restarted.signal(SIGTERM)
        #expect(restarted.waitForExit() == 0)
    }
}
