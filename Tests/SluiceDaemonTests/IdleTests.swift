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

    /// Time on the CPU in nanoseconds, summed over the threads of `pid`
    /// (`/proc/PID/task/*/schedstat`): exact, unlike clock ticks, which are charged to
    /// whatever runs when the timer interrupt comes.
    private func cpuNanoseconds(_ pid: Int32) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let value = Int(first) else { return total }
            return total + value
        }
    }

    /// Expects no thread of `pid` to run at all over five seconds; with `allowedWakeUps`
    /// (the watchdog's pings), only that often and for a few milliseconds in all.
    private func expectIdle(_ pid: Int32, allowedWakeUps: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        usleep(1_500_000)  // let start-up threads finish
        let cpuBefore = cpuNanoseconds(pid)
        let before = switches(pid)
        sleep(5)
        let after = switches(pid)
        let cpu = cpuNanoseconds(pid) - cpuBefore
        let wakeUps = before.reduce(0) { total, entry in total + max(0, (after[entry.key] ?? entry.value) - entry.value) }
        if allowedWakeUps == 0 {
            #expect(cpu == 0, "CPU time while idle: \(cpu) ns", sourceLocation: sourceLocation)
        } else {
            #expect(cpu < 20_000_000, "CPU time while idle with pings: \(cpu) ns", sourceLocation: sourceLocation)
        }
        #expect(wakeUps <= allowedWakeUps, "context switches while idle: \(wakeUps) across \(after.count) threads", sourceLocation: sourceLocation)
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

    /// With systemd's watchdog armed, the pings are the only wake-ups: one every half
    /// `WATCHDOG_USEC` (here 2 s, so a ping a second), on the main thread's loop.
    @Test("An idle daemon under a watchdog wakes only to ping it")
    func idleWithWatchdog() throws {
        let fixture = DaemonFixture()
        fixture.drop("i1_idle.sql", DaemonFixture.table("i1"))
        let listener = try NotifySocketListener()
        let daemon = try DaemonProcess(config: fixture.config, statePath: fixture.statePath, directory: fixture.directory.path,
                                       environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "2000000"])
        #expect(daemon.wait { daemon.queue() == ["i1"] }, "\(daemon.log)")
        // Five seconds at a ping a second, one spare for where the window falls.
        expectIdle(daemon.pid, allowedWakeUps: 6)
        let pings = listener.collect(timeout: .milliseconds(300)).filter { $0.text.contains("WATCHDOG=1") }
        #expect(pings.count >= 5, "\(pings.count) pings")
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
