import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// The daemon must sleep while nothing happens: no polling loop, no timer of its own.
@Suite("Idle daemon", .serialized)
struct IdleTests {
    /// Context switches per thread of `pid`, from `/proc/PID/task/*/status`.
    private func switches(_ pid: Int32) -> [String: Int] {
        var result: [String: Int] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            result[task] = status.split(separator: "\n").filter { $0.contains("ctxt_switches") }
                .compactMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }.reduce(0, +)
        }
        return result
    }

    /// CPU time in clock ticks (utime + stime) from `/proc/PID/stat`.
    private func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// Expects `pid` to use no CPU and to wake at most once a second (libdispatch's own
    /// worker-pool monitor, which every Swift program on Linux has) over five seconds.
    private func expectIdle(_ pid: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
        usleep(1_500_000)  // let start-up threads finish
        let ticksBefore = cpuTicks(pid)
        let before = switches(pid)
        let seconds = 5
        sleep(UInt32(seconds))
        let after = switches(pid)
        let ticksAfter = cpuTicks(pid)
        let wakeUps = before.reduce(0) { total, entry in total + max(0, (after[entry.key] ?? entry.value) - entry.value) }
        #expect(ticksAfter - ticksBefore == 0, "CPU ticks while idle: \(ticksAfter - ticksBefore)", sourceLocation: sourceLocation)
        // One wake-up a second for libdispatch's monitor, one spare; a polling loop of
        // its own (even at 10 Hz) would far exceed this.
        #expect(wakeUps <= seconds + 1, "context switches while idle: \(wakeUps) across \(after.count) threads", sourceLocation: sourceLocation)
    }

    /// Should use no CPU and have no timer of its own while nothing happens.
    @Test("An idle daemon uses no CPU and has no timer of its own")
    func idle() throws {
        let fixture = DaemonFixture()
        fixture.drop("i1_idle.sql", DaemonFixture.table("i1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.queue() == ["i1"] }, "\(daemon.log)")
        expectIdle(daemon.pid)
    }

    /// Should wait for the serve lock in a blocked `flock`, not by trying again and again.
    @Test("A daemon in standby uses no CPU and has no timer of its own")
    func standbyIdle() throws {
        let fixture = DaemonFixture()
        let serving = try fixture.start()
        #expect(serving.wait { serving.state() != nil }, "\(serving.log)")
        let standby = try fixture.start()
        #expect(standby.wait { standby.log.contains("event=standby") }, "\(standby.log)")
        expectIdle(standby.pid)
    }
}
