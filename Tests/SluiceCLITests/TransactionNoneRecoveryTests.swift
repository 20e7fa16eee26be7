import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// A `Transaction: none` revision cannot be rolled back: sluice takes a backup just
/// before it, marks the attempt as unfinished until it ends, refuses everything else
/// while the mark stands, and `sluice restore` puts the backup back. These tests kill
/// `sluice upgrade` in the middle of such a revision and follow the documented recovery.
@Suite("Transaction: none recovery", .serialized)
struct TransactionNoneRecoveryTests {
    /// r1 (ordinary), r2 (`Transaction: none`: a quick table, then a long insert, then an
    /// index), r3 (ordinary, after r2).
    static func history(in directory: TemporaryDirectory) {
        directory.write("versions/r1_base.sql", RevisionText.make("r1", upgrade: """
            CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO accounts (name) VALUES ('ada'), ('grace');
            """, downgrade: "DROP TABLE accounts;"))
        directory.write("versions/r2_bulk.sql", RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Transaction: none"], upgrade: """
            CREATE TABLE started (x INTEGER);
            CREATE TABLE bulk (n INTEGER, payload TEXT);
            INSERT INTO bulk SELECT x, printf('%080d', x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT x FROM c);
            CREATE INDEX ix_bulk ON bulk (payload);
            """, downgrade: "DROP TABLE bulk;\nDROP TABLE started;"))
        directory.write("versions/r3_more.sql", RevisionText.make("r3", revises: ["r2"], upgrade: "CREATE TABLE later (x INTEGER);", downgrade: "DROP TABLE later;"))
    }

    private func sqlite(_ database: String, _ sql: String) throws -> String {
        try SQLiteShell.run(database, sql, busyTimeoutMilliseconds: 5000).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `sluice upgrade head` and SIGKILLs it once r2's first statement is in the
    /// database (so the long insert is running).
    private func killDuringR2(_ directory: TemporaryDirectory) throws {
        let database = directory.url("app.db")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SluiceBinary.path)
        process.arguments = ["upgrade", "head", "--database", database, "--versions", directory.url("versions")]
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = false
        for _ in 0..<3000 where process.isRunning {
            if (try? sqlite(database, "SELECT count(*) FROM sqlite_master WHERE name = 'started'")) == "1" { seen = true; break }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(seen, "r2 never started before sluice ended")
    }

    @Test("killed part-way: everything is refused until `sluice restore` of the backup taken just before it")
    func restoreAfterKill() throws {
        let directory = TemporaryDirectory(prefix: "sluice-txnone")
        Self.history(in: directory)
        let database = directory.url("app.db")
        let common = ["--database", database, "--versions", directory.url("versions")]
        try killDuringR2(directory)

        // Part of r2 is there, the version table still says r1.
        #expect(try sqlite(database, "SELECT version_num FROM alembic_version") == "r1")
        #expect(try sqlite(database, "SELECT count(*) FROM sqlite_master WHERE name = 'started'") == "1")
        #expect(try sqlite(database, "PRAGMA integrity_check") == "ok")

        // Every change is refused, naming the backup to restore.
        let refused = try SluiceBinary.run(["upgrade", "head"] + common, in: directory.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("may hold part of revision r2"), "\(refused.stderr)")
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory.url("backups")).filter { $0.hasSuffix("-before-r2.db") }
        #expect(backups.count == 1, "\(backups)")
        let backup = directory.url("backups/\(backups.first ?? "")")
        #expect(refused.stderr.contains("sluice restore \(backup)"), "\(refused.stderr)")
        #expect(try sqlite(database, "SELECT version_num FROM alembic_version") == "r1")
        #expect(try sqlite(database, "SELECT count(*) FROM sqlite_master WHERE name = 'later'") == "0")
        // The backup is the database just before r2, mode 0600.
        #expect(try sqlite(backup, "SELECT version_num FROM alembic_version") == "r1")
        #expect(try sqlite(backup, "SELECT count(*) FROM sqlite_master WHERE name IN ('started', 'bulk')") == "0")
        var info = stat()
        #expect(stat(backup, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // The documented recovery: restore, then upgrade again.
        let restored = try SluiceBinary.run(["restore", backup] + common, in: directory.path)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("now at r1"), "\(restored.stdout)")
        #expect(try sqlite(database, "SELECT count(*) FROM sqlite_master WHERE name IN ('started', 'bulk')") == "0")
        #expect(try sqlite(database, "SELECT count(*) FROM accounts") == "2")
        let saved = try FileManager.default.contentsOfDirectory(atPath: directory.url("backups")).filter { $0.hasSuffix("-before-restore.db") }
        #expect(saved.count == 1, "the replaced database was not kept: \(saved)")

        let upgraded = try SluiceBinary.run(["upgrade", "head"] + common, in: directory.path)
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(try sqlite(database, "SELECT version_num FROM alembic_version") == "r3")
        #expect(try sqlite(database, "SELECT count(*) FROM bulk") == "1000000")
        #expect(try sqlite(database, "PRAGMA integrity_check") == "ok")
        // r2's attempt row was rewritten as applied: no unfinished mark is left.
        #expect(try sqlite(database, "SELECT outcome FROM sluice_history WHERE revision = 'r2'") == "applied")
    }

    @Test("killed part-way: finishing by hand and `sluice stamp` releases the database")
    func stampAfterFinishingByHand() throws {
        let directory = TemporaryDirectory(prefix: "sluice-txnone-stamp")
        Self.history(in: directory)
        let database = directory.url("app.db")
        let common = ["--database", database, "--versions", directory.url("versions")]
        try killDuringR2(directory)
        #expect(try SluiceBinary.run(["upgrade", "head"] + common, in: directory.path).status == 1)

        // The operator finishes r2 by hand, then says so.
        _ = try sqlite(database, "CREATE TABLE IF NOT EXISTS bulk (n INTEGER, payload TEXT); CREATE INDEX IF NOT EXISTS ix_bulk ON bulk (payload);")
        let stamped = try SluiceBinary.run(["stamp", "r2"] + common, in: directory.path)
        #expect(stamped.status == 0, "\(stamped.stderr)")
        let upgraded = try SluiceBinary.run(["upgrade", "head"] + common, in: directory.path)
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(try sqlite(database, "SELECT version_num FROM alembic_version") == "r3")
    }

    @Test("a statement failing part-way is recorded as unfinished; one failing first leaves nothing to restore")
    func failurePartWay() throws {
        let directory = TemporaryDirectory(prefix: "sluice-txnone-fail")
        let database = directory.url("app.db")
        let common = ["--database", database, "--versions", directory.url("versions")]
        directory.write("versions/r1.sql", RevisionText.make("r1", extraHeaders: ["Transaction: none"], upgrade: """
            SELECT no_such_function();
            CREATE TABLE a (x INTEGER);
            """, downgrade: "DROP TABLE a;"))
        // The rehearsal refuses it before the database is touched; the real-database path
        // is what --skip-rehearsal takes.
        let refused = try SluiceBinary.run(["upgrade", "head"] + common, in: directory.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("upgrade fails in rehearsal: no such function"), "\(refused.stderr)")
        let history = FileManager.default.fileExists(atPath: database) ? try sqlite(database, "SELECT count(*) FROM sluice_history") : "0"
        #expect(history == "0")
        let first = try SluiceBinary.run(["upgrade", "head", "--skip-rehearsal"] + common, in: directory.path)
        #expect(first.status == 1)
        #expect(first.stderr.contains("not applied (Transaction: none): its first statement failed, so nothing of r1 changed the database"), "\(first.stderr)")
        #expect(try sqlite(database, "SELECT error_text NOT LIKE 'not rolled back:%' FROM sluice_history WHERE revision = 'r1'") == "1")

        directory.write("versions/r1.sql", RevisionText.make("r1", extraHeaders: ["Transaction: none"], upgrade: """
            CREATE TABLE a (x INTEGER);
            SELECT no_such_function();
            """, downgrade: "DROP TABLE a;"))
        let second = try SluiceBinary.run(["upgrade", "head", "--skip-rehearsal"] + common, in: directory.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("NOT rolled back"), "\(second.stderr)")
        #expect(second.stderr.contains("sluice restore "), "\(second.stderr)")
        let third = try SluiceBinary.run(["upgrade", "head", "--skip-rehearsal"] + common, in: directory.path)
        #expect(third.stderr.contains("may hold part of revision r1"), "\(third.stderr)")
        #expect(try sqlite(database, "SELECT count(*) FROM sqlite_master WHERE name = 'a'") == "1")
    }
}
