import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

@Suite("Migrator on real SQLite files")
struct MigratorTests {
    /// Should apply a linear history up and down, one version row throughout.
    @Test("Linear history up to head and back to base")
    func linear() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);", downgrade: "DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users ADD COLUMN email TEXT;", downgrade: "ALTER TABLE users DROP COLUMN email;"),
            "3.sql": RevisionText.make("r3", revises: ["r2"], upgrade: "CREATE INDEX ix_email ON users (email);", downgrade: "DROP INDEX ix_email;"),
        ])
        try fixture.upgrade("head")
        #expect(try fixture.versionRows() == ["r3"])
        #expect(try fixture.tables() == ["users"])
        #expect(try fixture.query("SELECT count(*) FROM pragma_table_info('users')").first?.first == .integer(3))
        try fixture.downgrade("-1")
        #expect(try fixture.versionRows() == ["r2"])
        #expect(try fixture.query("SELECT count(*) FROM sqlite_master WHERE name = 'ix_email'").first?.first == .integer(0))
        try fixture.downgrade("base")
        #expect(try fixture.versionRows() == [])
        #expect(try fixture.tables() == [])
        let history = try fixture.query("SELECT revision, direction, outcome, statements_run, statements_total, triggered_by FROM sluice_history ORDER BY id")
        #expect(history.map { $0[0].text! + ":" + $0[1].text! } == ["r1:upgrade", "r2:upgrade", "r3:upgrade", "r3:downgrade", "r2:downgrade", "r1:downgrade"])
        #expect(history.allSatisfy { $0[2] == .text("applied") && $0[3] == $0[4] && $0[5] == .text("cli") })
    }

    /// Should keep Alembic's head bookkeeping through a branch, a merge and an unmerge.
    @Test("Branch, both heads, merge, and downgrade through the merge")
    func branchAndMerge() throws {
        let fixture = Fixture(Histories.branched)
        #expect(throws: TargetError.multipleHeads(["c2", "d1"], asked: "head")) { try fixture.upgrade("head") }
        try fixture.upgrade("left@head")
        #expect(try fixture.versionRows() == ["d1"])
        try fixture.upgrade("heads")
        #expect(try fixture.versionRows() == ["c2", "d1"])
        fixture.add("m.sql", Histories.merge)
        try fixture.upgrade("head")
        #expect(try fixture.versionRows() == ["m"])
        // -1 at a merge is an ambiguous walk, as in Alembic.
        #expect(throws: TargetError.self) { try fixture.downgrade("-1") }
        // An empty merge has nothing to undo, so it is reversible without a downgrade.
        try fixture.downgrade("c2")
        #expect(try fixture.versionRows() == ["c2", "d1"])
        // A revision that does something and has no downgrade is refused.
        fixture.add("d1.sql", RevisionText.make("d1", revises: ["c1"], upgrade: "CREATE TABLE d1 (id INTEGER PRIMARY KEY);", downgrade: nil))
        #expect(throws: PlanError.self) { try fixture.downgrade("c1") }
        #expect(throws: TargetError.self) { try fixture.downgrade("b+1") }  // b branches: ambiguous
    }

    /// Should re-insert both parents when a merge is unapplied.
    @Test("Downgrading a merge restores both heads in alembic_version")
    func unmerge() throws {
        let fixture = Fixture(Histories.branched)
        fixture.add("m.sql", RevisionText.make("m", revises: ["d1", "c2"], message: "merge", upgrade: "", downgrade: "SELECT 1;"))
        try fixture.upgrade("heads")
        #expect(try fixture.versionRows() == ["m"])
        try fixture.downgrade("d1")
        #expect(try fixture.versionRows() == ["c2", "d1"])
        try fixture.downgrade("c1")
        #expect(try fixture.versionRows() == ["c1", "c2"])
        #expect(try fixture.tables() == ["a", "b", "c1", "c2"])
    }

    /// Should leave neither schema change nor bookkeeping when a statement fails, and
    /// name the file and line.
    @Test("A failing statement rolls back the whole revision")
    func failingStatement() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE users;"),
        ])
        let bad = fixture.add("2.sql", RevisionText.make("r2", revises: ["r1"], upgrade: """
            CREATE TABLE cards (id INTEGER PRIMARY KEY);
            INSERT INTO cards (id) VALUES (1);
            INSERT INTO no_such_table VALUES (1);
            CREATE TABLE never (id INTEGER);
            """, downgrade: "DROP TABLE cards;"))
        try fixture.upgrade("r1")
        let before = try fixture.query("SELECT sql FROM sqlite_master ORDER BY name")
        do {
            try fixture.upgrade("head")
            Issue.record("the upgrade should have failed")
        } catch let error as PartialMigrationError {
            #expect(error.failure.revision.id == "r2")
            #expect(error.failure.line == 10)
            #expect(error.failure.rolledBack)
            #expect(error.failure.description.hasPrefix("\(bad):10: upgrade of r2 failed: no such table: no_such_table"))
        }
        #expect(try fixture.query("SELECT sql FROM sqlite_master ORDER BY name") == before)
        #expect(try fixture.versionRows() == ["r1"])
        let failed = try fixture.query("SELECT outcome, statements_run, statements_total, error_line, error_text FROM sluice_history WHERE revision = 'r2'")
        #expect(failed.count == 1)
        #expect(failed.first == [.text("failed"), .integer(2), .integer(4), .integer(10), .text("no such table: no_such_table")])
    }

    /// Should fail a revision that leaves a foreign-key violation behind.
    @Test("A foreign-key violation fails the revision")
    func foreignKeyViolation() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: """
                CREATE TABLE users (id INTEGER PRIMARY KEY);
                CREATE TABLE cards (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));
                """, downgrade: "DROP TABLE cards; DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "INSERT INTO cards (id, user_id) VALUES (1, 42);", downgrade: "DELETE FROM cards;"),
        ])
        try fixture.upgrade("r1")
        #expect {
            try fixture.upgrade("head")
        } throws: { error in
            "\(error)".contains("foreign_key_check found 1 violation")
        }
        #expect(try fixture.versionRows() == ["r1"])
        #expect(try fixture.query("SELECT count(*) FROM cards").first?.first == .integer(0))
    }

    /// Should not fire ON DELETE CASCADE while a revision rebuilds a parent table.
    @Test("A table rebuild with ON DELETE CASCADE children loses no rows")
    func rebuildKeepsChildren() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: """
                CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT);
                CREATE TABLE cards (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE);
                INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');
                INSERT INTO cards (id, user_id) VALUES (10, 1), (11, 1), (12, 2);
                """, downgrade: nil),
            "2.sql": RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Destructive: allowed"], upgrade: """
                CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
                INSERT INTO users_new (id, name) SELECT id, coalesce(name, '') FROM users;
                DROP TABLE users;
                ALTER TABLE users_new RENAME TO users;
                """, downgrade: nil),
        ])
        try fixture.upgrade("head")
        #expect(try fixture.query("SELECT count(*) FROM cards").first?.first == .integer(3))
        #expect(try fixture.versionRows() == ["r2"])
        // Enforcement is back on for sluice's own connection afterwards.
        let migrator = try fixture.migrator()
        #expect(try migrator.connection.scalar("PRAGMA foreign_keys") == .integer(1))
    }

    /// Should record stamp rows and change only the version table.
    @Test("Stamp sets the version table without running SQL")
    func stamp() throws {
        let fixture = Fixture(Histories.branched)
        let graph = try fixture.graph()
        let migrator = try fixture.migrator()
        try migrator.stamp(to: ["d1"], from: [], added: ["a", "b", "c1", "d1"].compactMap { graph[$0] })
        #expect(try fixture.versionRows() == ["d1"])
        #expect(try fixture.tables() == [])
        #expect(try fixture.query("SELECT count(*) FROM sluice_history WHERE direction = 'stamp'").first?.first == .integer(4))
    }
}
