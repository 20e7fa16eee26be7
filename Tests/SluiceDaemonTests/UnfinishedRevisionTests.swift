import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// The daemon and a `Transaction: none` revision that stops part-way on the real data:
/// everything is held, naming the backup; `sluice restore` and a reload release it.
@Suite("sluice serve and an unfinished Transaction: none revision", .serialized)
struct UnfinishedRevisionTests {
    @Test("Part of a Transaction: none revision applied: the queue is held until the backup is restored")
    func heldUntilRestored() throws {
        // Rehearsals copy only the schema above 1 byte, so the duplicate rows below are
        // not in the rehearsal: the unique index fails only on the real database, after
        // the revision's first statement has already changed it.
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        fixture.drop("d1_base.sql", RevisionText.make("d1", upgrade: "CREATE TABLE cards (id INTEGER PRIMARY KEY, token TEXT);", downgrade: "DROP TABLE cards;"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        _ = try SQLiteShell.run(fixture.database, "INSERT INTO cards (token) VALUES ('x'), ('x'), ('y')")
        fixture.drop("d2_unique.sql", RevisionText.make("d2", revises: ["d1"], extraHeaders: ["Transaction: none"],
                                                        upgrade: "CREATE TABLE audit (id INTEGER);\nCREATE UNIQUE INDEX ux_token ON cards (token);",
                                                        downgrade: "DROP INDEX ux_token;\nDROP TABLE audit;"))
        fixture.drop("d3_after.sql", DaemonFixture.table("d3", revises: ["d2"]))
        #expect(daemon.wait { daemon.log.contains("event=failed") }, "\(daemon.log)")
        #expect(daemon.wait { daemon.entries("held").contains { ($0["reason"] as? String)?.contains("may hold part of revision d2") == true } },
                "\(daemon.entries("held"))")
        #expect(try SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version") == "d1\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sqlite_master WHERE name = 'audit'") == "1\n")
        #expect(try SQLiteShell.run(fixture.database, "SELECT count(*) FROM sqlite_master WHERE name = 't_d3'") == "0\n")
        let reason = daemon.entries("held").compactMap { $0["reason"] as? String }.first { $0.contains("sluice restore ") } ?? ""
        guard let range = reason.range(of: "sluice restore "), let end = reason[range.upperBound...].firstIndex(of: "`") else {
            Issue.record("no backup named in \(reason)")
            return
        }
        let backup = String(reason[range.upperBound..<end])
        #expect(backup.hasSuffix("-before-d2.db"), "\(backup)")

        // The documented recovery: restore, fix the data, reload; d2 is released when its
        // file changes (a failed revision is held until then).
        let restored = try SluiceBinary.run(["restore", backup, "--config", fixture.config], in: fixture.directory.path)
        #expect(restored.status == 0, "\(restored.stderr)")
        _ = try SQLiteShell.run(fixture.database, "DELETE FROM cards WHERE id = 2")
        daemon.signal(SIGHUP)
        #expect(daemon.wait { !daemon.entries("held").contains { ($0["reason"] as? String)?.contains("may hold part") == true } },
                "\(daemon.entries("held"))")
        fixture.drop("d2_unique.sql", RevisionText.make("d2", revises: ["d1"], message: "Unique tokens", extraHeaders: ["Transaction: none"],
                                                        upgrade: "CREATE TABLE audit (id INTEGER);\nCREATE UNIQUE INDEX ux_token ON cards (token);",
                                                        downgrade: "DROP INDEX ux_token;\nDROP TABLE audit;"))
        #expect(daemon.wait { (try? SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version")) == "d3\n" }, "\(daemon.log)")
        #expect(try SQLiteShell.run(fixture.database, "SELECT outcome FROM sluice_history WHERE revision = 'd2' ORDER BY id DESC LIMIT 1") == "applied\n")
    }
}
