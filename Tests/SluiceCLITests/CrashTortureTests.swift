import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// Crash torture: `sluice upgrade` killed with SIGKILL at random moments on a history of
/// revisions with large data changes; after every kill the database must be intact and
/// exactly at a revision. 20 kills in `swift test`; `SLUICE_TORTURE_KILLS=200` by hand.
@Suite("Crash torture", .serialized)
struct CrashTortureTests {
    static let revisions = 6

    /// Revision i creates `t_i` and fills it with many rows, then indexes and rewrites
    /// them, so a kill lands inside a long transaction most of the time.
    static func history(in directory: TemporaryDirectory) {
        for index in 1...revisions {
            let parent = index == 1 ? [] : ["r\(index - 1)"]
            directory.write("versions/r\(index)_bulk.sql", RevisionText.make("r\(index)", revises: parent, upgrade: """
                CREATE TABLE t_\(index) (n INTEGER, payload TEXT);
                INSERT INTO t_\(index) SELECT x, printf('%060d', x) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 150000) SELECT x FROM c);
                CREATE INDEX ix_t_\(index) ON t_\(index) (payload);
                UPDATE t_\(index) SET payload = upper(payload) WHERE n % 3 = 0;
                """, downgrade: "DROP TABLE t_\(index);"))
        }
    }

    /// Should survive every kill: integrity, version table matching the schema, no history
    /// row for rolled-back work, and head at the end.
    @Test("SIGKILL at random moments never leaves a half-applied revision")
    func torture() throws {
        let kills = Int(ProcessInfo.processInfo.environment["SLUICE_TORTURE_KILLS"] ?? "") ?? 20
        let directory = TemporaryDirectory(prefix: "sluice-torture")
        Self.history(in: directory)
        let database = directory.url("app.db")
        let arguments = ["upgrade", "head", "--database", database, "--versions", directory.url("versions")]
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for round in 0..<kills {
            if (try? current(database)) == "r\(Self.revisions)" {
                // At head: start over from base so every round has work to kill.
                try SluiceBinary.run(["downgrade", "base", "--database", database, "--versions", directory.url("versions")])
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: SluiceBinary.path)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 20_000...1_500_000, using: &generator))
            if process.isRunning { killedMidway += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try verify(database, round: round)
        }
        let finish = try SluiceBinary.run(arguments)
        #expect(finish.status == 0, "\(finish.stderr)")
        try verify(database, round: kills)
        #expect(try current(database) == "r\(Self.revisions)")
        #expect(killedMidway > 0, "no kill landed while sluice was running")
        print("crash torture: \(kills) kills, \(killedMidway) while upgrading")
    }

    private func sqlite(_ database: String, _ sql: String) throws -> String {
        try SQLiteShell.run(database, sql).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func current(_ database: String) throws -> String {
        try sqlite(database, "SELECT group_concat(version_num) FROM alembic_version")
    }

    private func verify(_ database: String, round: Int) throws {
        guard FileManager.default.fileExists(atPath: database) else { return }
        #expect(try sqlite(database, "PRAGMA integrity_check") == "ok", "round \(round)")
        let version = try current(database)
        let applied = version.isEmpty ? 0 : Int(version.dropFirst()) ?? -1
        let tables = try sqlite(database, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\'")
        #expect(tables == "\(applied)", "round \(round): at \(version) but \(tables) revision tables exist")
        for index in 1...Self.revisions where index <= applied {
            #expect(try sqlite(database, "SELECT count(*) FROM t_\(index)") == "150000", "round \(round): t_\(index) incomplete")
        }
        // History: the last successful attempt of each revision agrees with the version table.
        let upgraded = try sqlite(database, """
            SELECT count(*) FROM sluice_history h WHERE outcome = 'applied' AND direction = 'upgrade'
            AND id = (SELECT max(id) FROM sluice_history WHERE revision = h.revision AND outcome = 'applied')
            """)
        #expect(upgraded == "\(applied)", "round \(round): \(upgraded) revisions recorded as applied, database at \(version)")
    }
}
