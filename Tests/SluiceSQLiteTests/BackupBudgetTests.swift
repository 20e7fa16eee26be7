import Foundation
import SluiceCore
import SluiceSQLite
import SluiceTestSupport
import Testing

/// `backups.max_total`: several databases sharing one backup directory (a fleet's
/// members), pruned oldest first across all of them, never the backup just taken.
@Suite("Backup size budget")
struct BackupBudgetTests {
    static func member(_ directory: TemporaryDirectory, _ name: String, kilobytes: Int) throws -> Connection {
        let connection = try Connection(path: directory.url(name), mode: .readWriteCreate)
        try connection.execute("CREATE TABLE filler (blob BLOB); INSERT INTO filler VALUES (zeroblob(\(kilobytes * 1024)))")
        return connection
    }

    @Test("over max_total the oldest backups go first, whoever's they are; within it nothing goes; keep still holds per database")
    func budget() throws {
        let directory = TemporaryDirectory(prefix: "sluice-budget")
        let a = try Self.member(directory, "a.db", kilobytes: 400)
        let b = try Self.member(directory, "b.db", kilobytes: 400)
        let backups = directory.url("backups")
        // Each backup is a little over 400 KiB: a budget of 1.5 MiB holds three.
        let budget: Int64 = 1536 * 1024
        let storeA = BackupStore(directory: backups, keep: 10, database: directory.url("a.db"), maxTotal: budget)
        let storeB = BackupStore(directory: backups, keep: 10, database: directory.url("b.db"), maxTotal: budget)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let a1 = try storeA.take(a, before: ["r1"], at: start)
        let b1 = try storeB.take(b, before: ["r1"], at: start.addingTimeInterval(1))
        let a2 = try storeA.take(a, before: ["r2"], at: start.addingTimeInterval(2))
        #expect(a2.pruned.isEmpty, "three fit in the budget")
        let b2 = try storeB.take(b, before: ["r2"], at: start.addingTimeInterval(3))
        #expect(b2.pruned.map(\.path) == [a1.path], "the oldest, a's, goes for b's new one")
        let names = Set((try FileManager.default.contentsOfDirectory(atPath: backups)))
        #expect(names == Set([b1.path, a2.path, b2.path].map { PathText.lastComponent(of: $0) }))
        let total = names.reduce(Int64(0)) { $0 + BackupStore.size(of: PathText.join(backups, $1)) }
        #expect(total <= budget)

        // A budget smaller than one backup keeps the one just taken, alone.
        let tight = BackupStore(directory: backups, keep: 10, database: directory.url("a.db"), maxTotal: 1 << 20 / 4)
        let a3 = try tight.take(a, before: ["r3"], at: start.addingTimeInterval(4))
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups) == [PathText.lastComponent(of: a3.path)])

        // keep applies per database, before the budget.
        let kept = BackupStore(directory: backups, keep: 1, database: directory.url("b.db"))
        _ = try kept.take(b, before: ["r4"], at: start.addingTimeInterval(5))
        let b5 = try kept.take(b, before: ["r5"], at: start.addingTimeInterval(6))
        #expect(kept.list() == [b5.path])
        #expect(storeA.list() == [a3.path])
    }
}
