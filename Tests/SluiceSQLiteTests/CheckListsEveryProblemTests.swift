import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// `check` must list every problem of a history in one run: a revision whose upgrade
/// works but is reported (destructive, a downgrade that does not restore the schema) does
/// not hide the problems of the revisions built on it.
@Suite("check lists every problem in one run")
struct CheckListsEveryProblemTests {
    @Test("problems after a destructive revision and after a bad downgrade are all reported, each at its line")
    func everyProblem() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);", downgrade: "DROP TABLE users;"),
            // Rebuild through a renamed table: the loss is at the DROP of users_old (line 10).
            "2.sql": RevisionText.make("r2", revises: ["r1"], upgrade: """
                ALTER TABLE users RENAME TO users_old;
                CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
                INSERT INTO users SELECT id, name FROM users_old;
                DROP TABLE users_old;
                """, downgrade: nil),
            "3.sql": RevisionText.make("r3", revises: ["r2"], upgrade: "CREATE TABLE t3 (x);\nCREATE INDEX ix3 ON t3 (x);", downgrade: "DROP INDEX ix3;"),
            "4.sql": RevisionText.make("r4", revises: ["r3"], upgrade: "CREATE TABLE t4 (x);\nCOMMIT;", downgrade: "DROP TABLE t4;"),
            "5.sql": RevisionText.make("r5", revises: ["r4"], upgrade: "CREATE TABLE t5 (x);\nPRAGMA foreign_keys = ON;", downgrade: "DROP TABLE t5;"),
        ])
        let report = Checker.check(versions: try VersionsDirectory.load(fixture.versions), database: nil, versionTable: VersionTable(), rehearsalMaxBytes: 1 << 30)
        let kinds = report.problems.map { "\($0.revision ?? "-"):\($0.kind)" }
        #expect(kinds == ["r2:destructive", "r3:downgrade-mismatch", "r4:transaction-control", "r5:foreign-keys-pragma"], "\(report.problems)")
        let lines = Dictionary(report.problems.compactMap { problem in problem.revision.map { ($0, problem.line) } }, uniquingKeysWith: { first, _ in first })
        let r2 = try String(contentsOfFile: fixture.versions + "/2.sql", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let dropLine = try #require(r2.firstIndex { $0.hasPrefix("DROP TABLE users_old") }) + 1
        #expect(lines["r2"] == dropLine)
        #expect(lines["r4"] == 9, "COMMIT is on line 9 of 4.sql")
    }
}
