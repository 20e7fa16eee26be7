import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// A busy database is never blamed on a revision, `--lock-timeout` is the one budget for
/// the wait, and the message names who holds the database. A real second process holds
/// the locks: the application (Python's sqlite3) or another sluice.
@Suite("Busy and locked databases", .serialized)
struct BusyDatabaseTests {
    private func project() throws -> (TemporaryDirectory, [String]) {
        let directory = TemporaryDirectory(prefix: "sluice-busy")
        directory.write("versions/r1_users.sql", RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
                                                                   downgrade: "DROP TABLE users;"))
        let common = ["--database", directory.url("app.db"), "--versions", directory.url("versions")]
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        directory.write("versions/r2_notes.sql", RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                   downgrade: "DROP TABLE notes;"))
        return (directory, common)
    }

    @Test("the application holding a write transaction: upgrade gives up within --lock-timeout, names the holder, blames no revision")
    func applicationHoldsTheDatabase() throws {
        let (directory, common) = try project()
        let holder = try ApplicationWriter.Holding(directory.url("app.db"))
        defer { holder.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let upgrade = try SluiceBinary.run(["upgrade", "--lock-timeout", "1s"] + common, in: directory.path)
        let elapsed = clock.now - start
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains("is locked"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("pid \(holder.pid) (python3) holds a write lock"), "\(upgrade.stderr)")
        #expect(!upgrade.stderr.contains("fix the file"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("upgrade of r2 did not start"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("the revision is not at fault"), "\(upgrade.stderr)")
        // One budget: not --lock-timeout plus SQLite's own 5 s (which took over 6 s).
        #expect(elapsed < .seconds(4), "\(elapsed)")
        holder.stop()
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT count(*) FROM sluice_history WHERE revision = 'r2'") == "0\n")
        let retry = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(retry.status == 0, "\(retry.stderr)")
    }

    @Test("another sluice holding the lock: the waiting command names it and what it applies")
    func sluiceHoldsTheLock() throws {
        let (directory, common) = try project()
        directory.write("versions/r2_notes.sql", RevisionText.make("r2", revises: ["r1"], upgrade: """
            CREATE TABLE notes (id INTEGER PRIMARY KEY);
            SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT x FROM c);
            """, downgrade: "DROP TABLE notes;"))
        let first = try SluiceBinary.start(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline, !SluiceBinary.lockNote(of: directory.url("app.db"), says: "r2") { usleep(20_000) }
        let second = try SluiceBinary.run(["upgrade", "--lock-timeout", "1s"] + common, in: directory.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("pid=\(first.processIdentifier) applying=r2 since="), "\(second.stderr)")
        #expect(!second.stderr.contains("fix the file"), "\(second.stderr)")
        // Reporting meanwhile answers: the writer has not written the database file yet.
        let current = try SluiceBinary.run(["current"] + common, in: directory.path)
        #expect(current.status == 0, "\(current.stderr)")
        #expect(current.stdout == "r1\n", "\(current.stdout)")
    }
}
