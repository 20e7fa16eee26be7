import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

@Suite("What revisions may not do")
struct RevisionPolicyTests {
    /// Should refuse ATTACH, DETACH, VACUUM INTO and load_extension in a revision, name
    /// the line, and leave nothing applied.
    @Test("Refused statements fail the revision with their reason", arguments: [
        ("ATTACH DATABASE '/tmp/other.db' AS other;", "ATTACH (and VACUUM INTO) is refused"),
        ("DETACH DATABASE other;", "DETACH is refused"),
        ("VACUUM INTO '/tmp/sluice-copy.db';", "ATTACH (and VACUUM INTO) is refused"),
        ("SELECT load_extension('/tmp/evil.so');", "load_extension() is refused"),
    ])
    func refused(statement: String, reason: String) throws {
        let fixture = Fixture([
            // VACUUM runs only outside a transaction, so the revisions say `Transaction: none`.
            "1.sql": RevisionText.make("r1", extraHeaders: ["Transaction: none"], upgrade: "CREATE TABLE t (id INTEGER);\n\(statement)", downgrade: "DROP TABLE t;"),
        ])
        do {
            try fixture.upgrade("head")
            Issue.record("the upgrade should have been refused")
        } catch let error as PartialMigrationError {
            #expect(error.failure.line == 10)
            #expect(error.failure.reason.contains(reason), "\(error.failure.reason)")
        }
        #expect(try fixture.versionRows() == [])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sluice-copy.db"))
    }

    /// Should let ATTACH through when the configuration allows it.
    @Test("allow_attach permits ATTACH")
    func allowed() throws {
        let other = TemporaryDirectory()
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "ATTACH DATABASE '\(other.url("other.db"))' AS other;\nCREATE TABLE other.t (id INTEGER);", downgrade: "SELECT 1;"),
        ])
        let graph = try fixture.graph()
        let migrator = try fixture.migrator()
        migrator.policy = RevisionPolicy(allowAttach: true)
        try migrator.apply(graph.upgradePlan(current: [], to: ["r1"]))
        #expect(try fixture.versionRows() == ["r1"])
    }

    /// Should reject such a revision already in `check`'s rehearsal.
    @Test("check reports a refused statement at its line")
    func rehearsal() throws {
        let fixture = Fixture([
            "1.sql": RevisionText.make("r1", upgrade: "CREATE TABLE t (id INTEGER);\nATTACH DATABASE ':memory:' AS scratch;", downgrade: "DROP TABLE t;"),
        ])
        let report = Checker.check(versions: try VersionsDirectory.load(fixture.versions), database: nil, versionTable: VersionTable(), rehearsalMaxBytes: 1 << 20)
        let problem = try #require(report.problems.first)
        #expect(problem.line == 9)
        #expect(problem.message.contains("ATTACH (and VACUUM INTO) is refused"))
    }
}
