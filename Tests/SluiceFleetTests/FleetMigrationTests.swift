import Foundation
import SluiceCore
import SluiceFleet
import SluiceSQLite
import SluiceTestSupport
import Testing

/// Migrating one member with real files: the shared rehearsal, and a member that left the
/// fleet between the survey and its turn.
@Suite("Migrating a member")
struct FleetMigrationTests {
    static func migration(_ directory: TemporaryDirectory) throws -> FleetMigration {
        try FileManager.default.createDirectory(atPath: directory.url("versions"), withIntermediateDirectories: true)
        directory.write("versions/r1.sql", RevisionText.make("r1", upgrade: "CREATE TABLE t (x INTEGER);", downgrade: "DROP TABLE t;"))
        let graph = RevisionGraph.analyze(try VersionsDirectory.load(directory.url("versions")).revisions).graph
        let settings = FleetMigration.Settings(versionTable: VersionTable(name: "alembic_version"), policy: RevisionPolicy(),
                                               rehearsalMaxBytes: 1 << 20, copyLimits: CopyLimits(), lockTimeout: .seconds(5),
                                               backups: { _ in nil })
        return FleetMigration(graph: graph, direction: .upgrade, target: "head", settings: settings)
    }

    @Test("a member removed after the survey is skipped and not created again")
    func removedMember() throws {
        let directory = TemporaryDirectory(prefix: "sluice-fleet-gone")
        let migration = try Self.migration(directory)
        for name in ["a.db", "b.db"] { _ = try Connection(path: directory.url(name), mode: .readWriteCreate).execute("CREATE TABLE app (x)") }
        let members = [FleetMember(name: "a.db", path: directory.url("a.db")), FleetMember(name: "b.db", path: directory.url("b.db"))]
        let surveys = MemberSurvey.takeAll(members, versionTable: VersionTable(name: "alembic_version"), threads: 2)
        migration.prepare(surveys)
        #expect(migration.rehearsalCount == 1, "two members with the same schema and rows share one rehearsal")
        try FileManager.default.removeItem(atPath: directory.url("b.db"))
        guard case .skipped(let reason) = migration.migrate(members[1]) else { Issue.record("not skipped"); return }
        #expect(reason.contains("left the fleet"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("b.db")))
        guard case .migrated(_, let to, _, _) = migration.migrate(members[0]) else { Issue.record("a.db not migrated"); return }
        #expect(to == ["r1"])
        #expect(migration.rehearsalCount == 1, "the member's turn reuses the survey's rehearsal")
    }
}
