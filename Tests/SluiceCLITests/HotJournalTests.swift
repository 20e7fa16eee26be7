import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// A writer that dies mid-transaction leaves a hot rollback journal. Every reporting
/// command must still answer, correctly: the dead transaction is rolled back (as SQLite
/// does) before anything is read, never read through. The writers are killed for real:
/// the application (Python's sqlite3), `sluice restore`, and `sluice upgrade`.
@Suite("Hot journals left by dead writers", .serialized)
struct HotJournalTests {
    /// A project at r2 in rollback-journal mode.
    private func project() throws -> (TemporaryDirectory, [String]) {
        let directory = TemporaryDirectory(prefix: "sluice-hot-journal")
        directory.write("versions/r1_users.sql", RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO users (name) VALUES ('ada');",
                                                                   downgrade: "DROP TABLE users;"))
        directory.write("versions/r2_notes.sql", RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                   downgrade: "DROP TABLE notes;"))
        let common = ["--database", directory.url("app.db"), "--versions", directory.url("versions")]
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        return (directory, common)
    }

    private func journalExists(_ directory: TemporaryDirectory) -> Bool {
        access(directory.url("app.db-journal"), F_OK) == 0
    }

    @Test("after the application dies mid-transaction, every reporting command answers from the rolled-back database", arguments: [
        ["current"], ["history"], ["heads"], ["check"], ["upgrade", "--sql"], ["status"], ["current", "--check-heads"],
    ])
    func applicationDied(command: [String]) throws {
        let (directory, common) = try project()
        #expect(try ApplicationWriter.dieMidTransaction(directory.url("app.db")), "the writer left no journal")
        #expect(journalExists(directory))
        let result = try SluiceBinary.run(command + common, in: directory.path)
        #expect(result.status == 0, "\(command): \(result.stderr)")
        #expect(result.stderr.contains("recovered: rolled back the hot journal"), "\(command): \(result.stderr)")
        #expect(!result.stdout.contains("bogus"), "\(command): \(result.stdout)")
        if command == ["current"] { #expect(result.stdout.hasPrefix("r2"), "\(result.stdout)") }
        if command == ["status"] { #expect(result.stdout.contains("at r2"), "\(result.stdout)") }
        #expect(!journalExists(directory))
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT version_num FROM alembic_version; PRAGMA integrity_check;") == "r2\nok\n")
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT count(*) FROM sqlite_master WHERE name = 'app_spill'") == "0\n")
    }

    @Test("SIGKILL of sluice restore mid-copy: reporting answers with the database as it was before the restore")
    func restoreDied() throws {
        let (directory, common) = try project()
        // A large backup at r1, so the copy is caught in the act.
        let backup = directory.url("big-backup.db")
        _ = try SQLiteShell.run(directory.url("app.db"), ".backup \(backup)")
        _ = try SQLiteShell.run(backup, """
            UPDATE alembic_version SET version_num = 'r1'; DROP TABLE notes;
            CREATE TABLE payload (b BLOB);
            INSERT INTO payload SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 40000) SELECT x FROM c);
            """)
        let creations = try CreationWatch(directory: directory.path)
        let restore = try SluiceBinary.start(["restore", backup] + common, in: directory.path)
        let journal = creations.next(timeout: .seconds(120)) { $0 == "app.db-journal" }
        // The journal is hot once SQLite has synced its header, just before it writes the
        // database file itself.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline, journalExists(directory), !RollbackJournal.hasHeader(directory.url("app.db")) { usleep(200) }
        kill(restore.processIdentifier, SIGKILL)
        restore.waitUntilExit()
        #expect(journal != nil && RollbackJournal.hasHeader(directory.url("app.db")), "the restore finished before it could be killed")

        let current = try SluiceBinary.run(["current"] + common, in: directory.path)
        #expect(current.status == 0, "\(current.stderr)")
        #expect(current.stdout == "r2 (head)\n", "\(current.stdout)")
        #expect(current.stderr.contains("recovered: rolled back the hot journal"), "\(current.stderr)")
        #expect(try SQLiteShell.run(directory.url("app.db"), "PRAGMA integrity_check; SELECT count(*) FROM sqlite_master WHERE name = 'payload';") == "ok\n0\n")
        // The restore can then be run again and finishes.
        let again = try SluiceBinary.run(["restore", backup] + common, in: directory.path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT version_num FROM alembic_version") == "r1\n")
    }

    @Test("SIGKILL of sluice upgrade mid-revision: reporting while it runs names it, and after the kill answers with the revision not applied")
    func upgradeDied() throws {
        let (directory, common) = try project()
        // r3 fills the cache past its limit (so the database file itself is written and
        // locked exclusively), then computes for far longer than the test waits.
        directory.write("versions/r3_long.sql", RevisionText.make("r3", revises: ["r2"], upgrade: """
            CREATE TABLE big (b BLOB);
            INSERT INTO big SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) SELECT x FROM c);
            SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT x FROM c);
            """, downgrade: "DROP TABLE big;"))
        let upgrade = try SluiceBinary.start(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        defer { if upgrade.isRunning { kill(upgrade.processIdentifier, SIGKILL); upgrade.waitUntilExit() } }
        // Wait until the lock note names r3 and the database file is being written.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        var hot = false
        while clock.now < deadline, !hot {
            hot = SluiceBinary.lockNote(of: directory.url("app.db"), says: "r3") && RollbackJournal.hasHeader(directory.url("app.db"))
            if !hot { usleep(20_000) }
        }
        #expect(hot, "the revision never got going")

        let during = try SluiceBinary.run(["current"] + common, in: directory.path)
        if during.status != 0 {
            #expect(during.stderr.contains("applying=r3"), "\(during.stderr)")
            #expect(during.stderr.contains("pid=\(upgrade.processIdentifier)"), "\(during.stderr)")
            #expect(!during.stderr.contains("bogus"))
        } else {
            #expect(during.stdout.hasPrefix("r2"), "\(during.stdout)")
        }

        kill(upgrade.processIdentifier, SIGKILL)
        upgrade.waitUntilExit()
        #expect(journalExists(directory))
        let after = try SluiceBinary.run(["current"] + common, in: directory.path)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == "r2\n", "\(after.stdout)")
        #expect(after.stderr.contains("recovered: rolled back the hot journal"), "\(after.stderr)")
        #expect(try SQLiteShell.run(directory.url("app.db"), "PRAGMA integrity_check; SELECT count(*) FROM sqlite_master WHERE name = 'big';") == "ok\n0\n")
    }
}
