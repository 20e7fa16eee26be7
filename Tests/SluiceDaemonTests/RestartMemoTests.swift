import Foundation
import SluiceTestSupport
import Testing

/// `sluice serve` restarted on a large queue: the validation memo beside the database
/// answers for every pending revision, start-up logs one summary instead of a record per
/// revision, and what changes after start-up is logged one by one again.
@Suite("Restarting on a large queue")
struct RestartMemoTests {
    @Test("a restart rehearses nothing, logs one restored record, and a corrupt memo is ignored")
    func restart() throws {
        let fixture = DaemonFixture()
        let count = 120
        for index in 1...count {
            fixture.drop(String(format: "m%03d_step.sql", index), DaemonFixture.table(String(format: "m%03d", index), revises: index == 1 ? [] : [String(format: "m%03d", index - 1)]))
        }
        let first = try fixture.start()
        #expect(first.wait(timeout: .seconds(120)) { first.queue().count == count }, "\(first.log)")
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        #expect(first.log.components(separatedBy: "event=restored").count == 2, "one summary at start-up: \(first.log)")
        #expect(!first.log.contains("event=queued"), "no per-revision records at start-up above 100")
        let memo = fixture.database + ".sluice-memo"
        #expect(FileManager.default.fileExists(atPath: memo))

        let second = try fixture.start()
        #expect(second.wait { second.queue().count == count && (second.state()?["pid"] as? Int).map(Int32.init) == second.pid }, "\(second.log)")
        #expect(second.log.contains("event=memo-used"), "\(second.log)")
        #expect(!second.log.contains("event=memo-ignored"))
        // After start-up, one record per revision again.
        fixture.drop("m121_step.sql", DaemonFixture.table("m121", revises: ["m120"]))
        #expect(second.wait { second.queue().count == count + 1 }, "\(second.log)")
        #expect(second.log.contains("event=queued") && second.log.contains("m121"), "\(second.log)")
        second.signal(SIGTERM)
        #expect(second.waitForExit() == 0)

        // One byte of the memo changed: ignored, everything rehearsed again, same queue.
        var bytes = try #require(FileManager.default.contents(atPath: memo))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: memo))
        let third = try fixture.start()
        #expect(third.wait { third.queue().count == count + 1 && (third.state()?["pid"] as? Int).map(Int32.init) == third.pid }, "\(third.log)")
        #expect(third.log.contains("event=memo-ignored"), "\(third.log)")
        #expect(third.log.contains("digest does not match"), "\(third.log)")
        third.signal(SIGTERM)
        #expect(third.waitForExit() == 0)
    }
}
