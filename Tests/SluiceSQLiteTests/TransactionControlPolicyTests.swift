import CSQLite
import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// The policy's decisions on transaction control, as pure logic, beside the migrator on a
/// real file refusing them before anything of the revision is committed.
@Suite("Transaction control in revisions")
struct TransactionControlPolicyTests {
    private func event(_ action: Int32, _ first: String? = nil, _ second: String? = nil) -> AuthorizerEvent {
        AuthorizerEvent(action: action, first: first, second: second, database: nil)
    }

    @Test("BEGIN, COMMIT and ROLLBACK are refused only in transactional revisions; savepoints never")
    func decisions() {
        let policy = RevisionPolicy()
        for verb in ["BEGIN", "COMMIT", "ROLLBACK"] {
            #expect(policy.refusal(of: event(SQLITE_TRANSACTION, verb), transactional: true)?.kind == .transactionControl)
            #expect(policy.refusal(of: event(SQLITE_TRANSACTION, verb), transactional: false) == nil)
        }
        for operation in ["BEGIN", "RELEASE", "ROLLBACK"] {
            #expect(policy.refusal(of: event(SQLITE_SAVEPOINT, operation, "s"), transactional: true) == nil)
        }
        #expect(policy.refusal(of: event(SQLITE_PRAGMA, "foreign_keys", "OFF"), transactional: true)?.kind == .foreignKeysPragma)
        #expect(policy.refusal(of: event(SQLITE_PRAGMA, "foreign_keys", nil), transactional: true) == nil)
        #expect(policy.refusal(of: event(SQLITE_PRAGMA, "foreign_keys", "OFF"), transactional: false) == nil)
    }

    @Test("the migrator refuses COMMIT at its line on the real database and nothing before it stays", arguments: ["COMMIT;", "END;", "ROLLBACK;", "BEGIN;"])
    func migratorRefuses(statement: String) throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE t (id INTEGER);\nINSERT INTO t VALUES (1);\n\(statement)\nINSERT INTO t VALUES (2);", downgrade: "DROP TABLE t;"),
        ])
        do {
            try fixture.upgrade("head")
            Issue.record("the upgrade should have been refused")
        } catch let error as PartialMigrationError {
            #expect(error.failure.line == 10)
            #expect(error.failure.refusal?.kind == .transactionControl)
            #expect(error.failure.effect == .rolledBack)
        }
        #expect(try fixture.versionRows() == [])
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sqlite_master WHERE name = 't'") == "0\n")
    }
}

/// Reading `/proc/locks` for the holders of SQLite's locks.
@Suite("Lock holders from /proc/locks")
struct SQLiteLockHoldersTests {
    @Test("POSIX locks on the file are gathered by pid, write beating read; others and this process are left out")
    func parse() {
        let table = """
            1: POSIX  ADVISORY  READ 300 08:02:1234 1073741826 1073742335
            2: POSIX  ADVISORY  WRITE 300 08:02:1234 1073741825 1073741825
            3: FLOCK  ADVISORY  WRITE 400 08:02:1234 0 EOF
            4: POSIX  ADVISORY  READ 500 08:02:1234 1073741826 1073742335
            5: POSIX  ADVISORY  WRITE 600 08:02:9999 1073741825 1073741825
            6: OFDLCK ADVISORY  READ -1 08:02:1234 1073741826 1073742335
            7: POSIX  ADVISORY  READ 77 08:02:1234 1073741826 1073742335
            """
        let holders = SQLiteLockHolders.parse(table, device: (8, 2), inode: 1234, excluding: 77)
        #expect(holders == [.init(pid: 300, writes: true), .init(pid: 500, writes: false)])
    }

    @Test("a real Python writer holding the database is named with its pid and a write lock")
    func realHolder() throws {
        let directory = TemporaryDirectory()
        let database = directory.url("app.db")
        _ = try SQLiteShell.run(database, "CREATE TABLE t (x);")
        let holder = try ApplicationWriter.Holding(database)
        defer { holder.stop() }
        let described = SQLiteLockHolders.describe(databasePath: database)
        #expect(described == "pid \(holder.pid) (python3) holds a write lock", "\(described ?? "nil")")
    }
}

/// The in-transaction destructive check of `--skip-rehearsal` runs only where a loss is
/// possible at all.
@Suite("Destructive check without rehearsal")
struct SkippedRehearsalLintTests {
    @Test("only SQL with DROP or ALTER (any case) may lose tables or columns")
    func mayDrop() {
        #expect(Migrator.mayDropSomething("ALTER TABLE users DROP COLUMN email;"))
        #expect(Migrator.mayDropSomething("drop table t;"))
        #expect(Migrator.mayDropSomething("CREATE TABLE t (x); DrOp TABLE u;"))
        #expect(Migrator.mayDropSomething("alter table t rename to u;"))
        #expect(!Migrator.mayDropSomething("CREATE TABLE t (x);\nCREATE INDEX ix ON t (x);\nINSERT INTO t VALUES (1);"))
        #expect(!Migrator.mayDropSomething(""))
        #expect(!Migrator.mayDropSomething("dro"))
    }
}
