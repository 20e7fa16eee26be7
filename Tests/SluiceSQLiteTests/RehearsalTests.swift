import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

@Suite("Rehearsal and check")
struct RehearsalTests {
    private func check(_ fixture: Fixture) throws -> CheckReport {
        let database = FileManager.default.fileExists(atPath: fixture.database) ? try Connection(path: fixture.database, mode: .readOnly) : nil
        return Checker.check(versions: try VersionsDirectory.load(fixture.versions), database: database, versionTable: VersionTable(), rehearsalMaxBytes: 1 << 30)
    }

    /// Should reject a downgrade that does not restore the schema, naming the downgrade
    /// marker's line, and leave no trace in the real database.
    @Test("A downgrade that does not restore the schema is reported with file and line")
    func downgradeMismatch() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users ADD COLUMN email TEXT;\nCREATE INDEX ix_email ON users (email);", downgrade: "DROP INDEX ix_email;"),
        ])
        let report = try check(fixture)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == "downgrade-mismatch")
        #expect(problem.line == 11)
        #expect(problem.message.contains("2.sql:11: the downgrade does not restore the schema"))
        #expect(problem.message.contains("email"))
        #expect(!FileManager.default.fileExists(atPath: fixture.database))
    }

    /// Should pass the same history once the downgrade is right.
    @Test("A correct history passes")
    func clean() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users ADD COLUMN email TEXT;", downgrade: "ALTER TABLE users DROP COLUMN email;"),
        ])
        let report = try check(fixture)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.rehearsedCount == 2)
    }

    /// Should reject dropping a table or a column without `Destructive: allowed`, and
    /// accept it with the header.
    @Test("Destructive upgrades need the header", arguments: [
        ("DROP TABLE users;", "table users is dropped"),
        ("ALTER TABLE users DROP COLUMN name;", "column users.name is dropped"),
        ("CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t SELECT id FROM users;\nDROP TABLE users;\nALTER TABLE t RENAME TO users;", "column users.name is dropped"),
    ])
    func destructive(upgrade: String, expected: String) throws {
        let base = RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);", downgrade: "DROP TABLE users;")
        let fixture = Fixture(["1.sql": base, "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: upgrade, downgrade: nil)])
        let report = try check(fixture)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == "destructive")
        #expect(problem.message.contains(expected))
        #expect(problem.message.contains("Destructive: allowed"))
        #expect(problem.line != nil && problem.line! > 7)

        let allowed = Fixture(["1.sql": base, "2.sql": RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Destructive: allowed"], upgrade: upgrade, downgrade: nil)])
        #expect(try check(allowed).isClean)
    }

    /// Should not count a rename as a loss.
    @Test("Renaming a table or a column is not destructive")
    func renames() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);", downgrade: "DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE users RENAME TO people;",
                                       downgrade: "ALTER TABLE people RENAME TO users;\nALTER TABLE users RENAME COLUMN full_name TO name;"),
        ])
        let report = try check(fixture)
        #expect(report.isClean, "\(report.problems)")
    }

    /// Should reject `PRAGMA foreign_keys` inside a transactional revision, at its line.
    @Test("PRAGMA foreign_keys inside a transaction is rejected")
    func foreignKeysPragma() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);\nPRAGMA foreign_keys = OFF;", downgrade: "DROP TABLE users;"),
        ])
        let problem = try #require(try check(fixture).problems.first)
        #expect(problem.kind == "foreign-keys-pragma")
        #expect(problem.line == 9)
    }

    /// Should report an applied file whose checksum changed, and one that disappeared.
    @Test("Edited and removed applied files are reported")
    func appliedFiles() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE users;"),
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE cards (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE cards;"),
        ])
        try fixture.upgrade("head")
        #expect(try check(fixture).isClean)
        fixture.add("1.sql", RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY); -- edited", downgrade: "DROP TABLE users;"))
        let edited = try check(fixture)
        #expect(edited.problems.map(\.kind) == ["checksum-changed"])
        try FileManager.default.removeItem(atPath: fixture.versions + "/2.sql")
        let removed = try check(fixture)
        #expect(removed.problems.contains { $0.kind == "applied-missing" && $0.revision == "r2" })
    }

    /// Should report tables that exist in the database but that no revision creates.
    @Test("Schema drift is reported")
    func drift() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE users;"),
        ])
        try fixture.upgrade("head")
        try Connection(path: fixture.database, mode: .readWriteCreate).execute("CREATE TABLE hand_made (x INTEGER)")
        let report = try check(fixture)
        #expect(report.problems.map(\.kind) == ["schema-drift"])
        #expect(report.problems.first?.message.contains("table hand_made") == true)
    }

    /// Should rehearse pending revisions against the real data, where constraints bite.
    @Test("Pending revisions are rehearsed on a copy of the real data")
    func realData() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);", downgrade: "DROP TABLE users;"),
        ])
        try fixture.upgrade("head")
        try Connection(path: fixture.database, mode: .readWriteCreate).execute("INSERT INTO users (email) VALUES ('a@x'), ('a@x')")
        fixture.add("2.sql", RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE UNIQUE INDEX ux_email ON users (email);", downgrade: "DROP INDEX ux_email;"))
        let report = try check(fixture)
        let problem = try #require(report.problems.first)
        #expect(problem.message.contains("UNIQUE constraint failed"))
        #expect(problem.message.contains("on a copy of the real database"))
        #expect(try fixture.query("SELECT count(*) FROM sqlite_master WHERE name = 'ux_email'").first?.first == .integer(0))
    }
}
