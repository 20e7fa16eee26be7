import Glibc
import SluiceTestSupport
import Testing
import SluiceSystemd

/// Reading `WATCHDOG_USEC` and `WATCHDOG_PID` as sd_watchdog_enabled(3) does.
@Suite("WatchdogSettings")
struct WatchdogSettingsTests {
    @Test("Should read WATCHDOG_USEC and ping at half of it")
    func timeoutAndInterval() throws {
        let settings = try #require(WatchdogSettings(environment: ["WATCHDOG_USEC": "5000000"]))
        #expect(settings.timeout == .seconds(5))
        #expect(settings.pingInterval == .milliseconds(2500))
        #expect(WatchdogSettings.from(environment: ["WATCHDOG_USEC": "5000000"]) == .seconds(5))
        #expect(WatchdogSettings.pingInterval(environment: ["WATCHDOG_USEC": "5000000"]) == .milliseconds(2500))
    }

    @Test("Should accept WATCHDOG_PID naming this process")
    func matchingPID() {
        let environment = ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": String(getpid())]
        #expect(WatchdogSettings.from(environment: environment) == .seconds(30))
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "77"], processID: 77) != nil)
    }

    @Test("Should ignore a watchdog meant for another process")
    func mismatchedPID() {
        let environment = ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": String(getpid() + 1)]
        #expect(WatchdogSettings.from(environment: environment) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "77"], processID: 78) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "not-a-pid"]) == nil)
    }

    @Test("Should find no watchdog without a usable WATCHDOG_USEC", arguments: [
        [:], ["WATCHDOG_USEC": ""], ["WATCHDOG_USEC": "0"], ["WATCHDOG_USEC": "-5"], ["WATCHDOG_USEC": "5s"],
        ["WATCHDOG_USEC": "99999999999999999999"],
    ])
    func noWatchdog(environment: [String: String]) {
        #expect(WatchdogSettings.from(environment: environment) == nil)
    }
}
