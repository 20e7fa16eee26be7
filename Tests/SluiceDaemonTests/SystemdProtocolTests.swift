import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// The built daemon against a real AF_UNIX datagram socket standing in for systemd's
/// NOTIFY_SOCKET, with a watchdog set: the sequence and timing systemd relies on.
@Suite("sd_notify protocol of sluice serve", .serialized)
struct SystemdProtocolTests {
    private func start(_ fixture: DaemonFixture, listener: NotifySocketListener, watchdog: Duration = .seconds(2)) throws -> DaemonProcess {
        let usec = watchdog.components.seconds * 1_000_000
        return try DaemonProcess(config: fixture.config, statePath: fixture.statePath, directory: fixture.directory.path,
                                 environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "\(usec)"])
    }

    /// Should send READY=1, then STATUS, then WATCHDOG=1 at half the watchdog interval;
    /// RELOADING=1 with MONOTONIC_USEC in one datagram then READY=1 on SIGHUP; and
    /// STOPPING=1 on SIGTERM.
    @Test("READY, STATUS, WATCHDOG at the interval, RELOADING+MONOTONIC_USEC then READY, STOPPING")
    func sequence() throws {
        let listener = try NotifySocketListener()
        let fixture = DaemonFixture()
        fixture.drop("a1_first.sql", DaemonFixture.table("a1"))
        let daemon = try start(fixture, listener: listener)
        let first = listener.collect(timeout: .seconds(20)) { $0.contains { $0.text.contains("READY=1") } }
        let ready = try #require(first.firstIndex { $0.text.split(separator: "\n").contains("READY=1") }, "\(first.map(\.text)) \(daemon.log)")
        #expect(!first[..<ready].contains { $0.text.contains("WATCHDOG=1") })
        #expect(first[ready].text.contains("STATUS=") || listener.receive()?.contains("STATUS=") == true)

        // Watchdog pings every second (half of 2 s) while idle: never more often than
        // half the interval apart, and never as far apart as the watchdog itself (then
        // systemd would have killed the daemon).
        let pings = listener.collect(timeout: .milliseconds(4500)).filter { $0.text.contains("WATCHDOG=1") }
        #expect(pings.count >= 2, "pings: \(pings.count)")
        let gaps = zip(pings.dropFirst(), pings).map { $0.at - $1.at }
        #expect(gaps.allSatisfy { $0 > .milliseconds(500) && $0 < .seconds(2) }, "gaps: \(gaps)")

        // Reload: RELOADING=1 and MONOTONIC_USEC in one datagram, then READY=1.
        daemon.signal(SIGHUP)
        let reload = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("READY=1") } }.map(\.text)
        let reloading = try #require(reload.first { $0.contains("RELOADING=1") }, "\(reload)")
        #expect(reloading.split(separator: "\n").contains { $0.hasPrefix("MONOTONIC_USEC=") && Int($0.dropFirst(15)) != nil })
        let reloadingIndex = reload.firstIndex(of: reloading)!
        #expect(reload[(reloadingIndex + 1)...].contains { $0.contains("READY=1") })

        daemon.signal(SIGTERM)
        let stop = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("STOPPING=1") } }.map(\.text)
        #expect(stop.contains { $0.contains("STOPPING=1") }, "\(stop)")
        #expect(daemon.waitForExit() == 0)
    }

    /// Should keep pinging during a long statement (SQLite's progress handler proves
    /// life), stop while the process is stopped, and come back when it continues.
    @Test("Watchdog pings continue during a long statement, stop while the process is stopped, and resume")
    func watchdogDuringLongStatementAndWedge() throws {
        let listener = try NotifySocketListener()
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        let daemon = try start(fixture, listener: listener)
        _ = listener.collect(timeout: .seconds(20)) { $0.contains { $0.text.contains("READY=1") } }
        // One statement that runs until the daemon is killed, on any machine: a cross join
        // of 100,000 rows with themselves (the rehearsal copies only the schema, where it is
        // instant).
        _ = try SQLiteShell.run(fixture.database, "CREATE TABLE rows (n INTEGER); INSERT INTO rows SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c)")
        fixture.drop("l1_long.sql", RevisionText.make("l1", upgrade: """
            CREATE TABLE spin (n INTEGER);
            INSERT INTO spin SELECT count(*) FROM rows a, rows b;
            """, downgrade: "DROP TABLE spin;"))
        // Read the socket while waiting, as systemd does (its queue holds few datagrams).
        _ = listener.collect(timeout: .seconds(120)) { _ in daemon.log.contains("event=migration-started") }
        #expect(daemon.log.contains("event=migration-started"), "\(daemon.log)")
        let during = listener.collect(timeout: .seconds(4)).filter { $0.text.contains("WATCHDOG=1") }
        #expect(!daemon.log.contains("event=applied"), "the statement must still be running while the pings are counted")
        #expect(during.count >= 2, "pings during the statement: \(during.count)\n\(daemon.log)")

        // Stopped (SIGSTOP, as a frozen or suspended process is): no pings, so systemd's
        // watchdog would fire; continued, the pings come back.
        daemon.signal(SIGSTOP)
        _ = listener.collect(timeout: .milliseconds(500))
        let stopped = listener.collect(timeout: .seconds(3)).filter { $0.text.contains("WATCHDOG=1") }
        #expect(stopped.isEmpty, "pings while stopped: \(stopped.count)")
        daemon.signal(SIGCONT)
        let resumed = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("WATCHDOG=1") } }
        #expect(resumed.contains { $0.text.contains("WATCHDOG=1") }, "no ping after SIGCONT\n\(daemon.log)")
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
    }

    /// Should keep the old configuration when the reloaded file is broken, say why, and
    /// take a good file on the next reload.
    @Test("Reload with a broken file keeps the old configuration and says why; a good one changes the window")
    func reloadBrokenThenGood() throws {
        let listener = try NotifySocketListener()
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        let daemon = try start(fixture, listener: listener)
        _ = listener.collect(timeout: .seconds(20)) { $0.contains { $0.text.contains("READY=1") } }
        let good = try String(contentsOfFile: fixture.config, encoding: .utf8)
        try "database = \"app.db\"\nsettle = \"5 parsecs\"\n".write(toFile: fixture.config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let broken = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("READY=1") } }.map(\.text)
        #expect(broken.contains { $0.contains("RELOADING=1") })
        #expect(broken.contains { $0.contains("STATUS=") && $0.contains("config not reloaded") && $0.contains("settle") }, "\(broken)")
        #expect(daemon.wait { daemon.log.contains("event=reload-failed") }, "\(daemon.log)")
        #expect(daemon.process.isRunning)
        try good.replacingOccurrences(of: "name = \"staging\"", with: "name = \"reloaded\"").write(toFile: fixture.config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let fixed = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("READY=1") } }.map(\.text)
        #expect(fixed.contains { $0.contains("STATUS=") && $0.contains("window reloaded open") && !$0.contains("config not reloaded") }, "\(fixed)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
