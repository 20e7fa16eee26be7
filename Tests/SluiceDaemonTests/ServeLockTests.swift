import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// Two `sluice serve` processes on one database: the first serves it, the second waits
/// in standby (watching and validating only) and takes over when the first stops.
@Suite("Two daemons on one database", .serialized)
struct ServeLockTests {
    /// `(revision, pid)` of every applied upgrade, in order.
    private func appliedBy(_ database: String) throws -> String {
        try SQLiteShell.run(database, "SELECT revision, pid, triggered_by FROM sluice_history WHERE outcome = 'applied' ORDER BY id")
    }

    /// Should apply each revision exactly once, by the daemon that holds the serve lock,
    /// while the second one says it is in standby and names the holder; when the first
    /// stops, the second takes over, writes the state file and applies what arrives.
    @Test("The second daemon stands by, naming the first; each revision is applied once; it takes over when the first stops")
    func standbyAndTakeOver() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        let first = try fixture.start()
        #expect(first.wait { (first.state()?["pid"] as? Int).map(Int32.init) == first.pid }, "\(first.log)")

        let listener = try NotifySocketListener()
        let second = try DaemonProcess(config: fixture.config, statePath: fixture.statePath, directory: fixture.directory.path,
                                       environment: ["NOTIFY_SOCKET": listener.notifySocket])
        let startup = listener.collect(timeout: .seconds(30)) { $0.contains { $0.text.contains("READY=1") } }.map(\.text)
        let standbyStatus = "STATUS=standby: \(fixture.database) is served by host="
        #expect(startup.contains { $0.contains(standbyStatus) && $0.contains(" pid=\(first.pid)") }, "\(startup)\n\(second.log)")
        #expect(second.wait { second.log.contains("event=standby") }, "\(second.log)")
        let standbyLine = second.log.split(separator: "\n").first { $0.contains("event=standby") } ?? ""
        #expect(standbyLine.contains("warning") && standbyLine.contains("pid=\(first.pid)"), "\(standbyLine)")

        // Both see the revisions; only the first applies them.
        fixture.drop("s1_users.sql", DaemonFixture.table("s1"))
        fixture.drop("s2_cards.sql", DaemonFixture.table("s2", revises: ["s1"]))
        #expect(first.wait(timeout: .seconds(60)) { first.log.components(separatedBy: "event=applied").count == 3 }, "\(first.log)")
        #expect(second.wait { second.log.contains("event=discovered file=s2_cards.sql") }, "\(second.log)")
        #expect(try appliedBy(fixture.database) == "s1|\(first.pid)|daemon\ns2|\(first.pid)|daemon\n")
        for event in ["event=backup-created", "event=migration-started", "event=applied", "event=backup-failed"] {
            #expect(!second.log.contains(event), "\(event) in the standby's log:\n\(second.log)")
        }
        #expect(first.wait { first.queue().isEmpty && (first.state()?["pid"] as? Int).map(Int32.init) == first.pid })
        let status = try SluiceBinary.run(["status", "--config", fixture.config])
        #expect(status.stdout.hasPrefix("daemon pid \(first.pid),"), "\(status.stdout)")
        #expect(second.process.isRunning)

        // The first stops: the second takes over at once and serves from now on.
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        #expect(second.wait { second.log.contains("event=serving") }, "\(second.log)")
        #expect(second.wait { (second.state()?["pid"] as? Int).map(Int32.init) == second.pid }, "\(String(describing: second.state()))")
        let serving = listener.collect(timeout: .seconds(10)) { $0.contains { $0.text.contains("window staging open") } }.map(\.text)
        #expect(serving.contains { $0.contains("STATUS=idle · 0 pending · window staging open") }, "\(serving)")
        fixture.drop("s3_notes.sql", DaemonFixture.table("s3", revises: ["s2"]))
        #expect(second.wait(timeout: .seconds(60)) { second.log.contains("event=applied") }, "\(second.log)")
        #expect(try appliedBy(fixture.database) == "s1|\(first.pid)|daemon\ns2|\(first.pid)|daemon\ns3|\(second.pid)|daemon\n")
        #expect(try SluiceBinary.run(["current", "--config", fixture.config]).stdout == "s3 (head)\n")
        second.signal(SIGTERM)
        #expect(second.waitForExit() == 0)
    }

    /// Should validate and log what arrives while in standby, leave the state file to the
    /// daemon that serves, and stop cleanly on SIGTERM without disturbing it.
    @Test("A standby daemon validates and logs what it sees, writes no state, and stops cleanly")
    func standbyValidatesAndStops() throws {
        // Windows closed: nothing is applied, so both daemons keep the revision queued.
        let fixture = DaemonFixture()
        let first = try fixture.start()
        #expect(first.wait { (first.state()?["pid"] as? Int).map(Int32.init) == first.pid }, "\(first.log)")
        // The state file is written through `state.json.tmp.<pid>`: watching the folder
        // tells which daemon wrote it.
        let creations = try CreationWatch(directory: fixture.directory.path)
        let second = try fixture.start()
        #expect(second.wait { second.log.contains("event=standby") }, "\(second.log)")

        fixture.drop("v1_users.sql", DaemonFixture.table("v1"))
        let queued = { (daemon: DaemonProcess) in daemon.log.split(separator: "\n").contains { $0.contains("event=queued") && $0.contains("revision.id=v1") } }
        #expect(second.wait { queued(second) }, "\(second.log)")
        #expect(first.wait { queued(first) && first.queue() == ["v1"] }, "\(first.log)")
        var created: [String] = []
        _ = creations.next(timeout: .milliseconds(200)) { created.append($0); return false }
        #expect(created.contains("state.json.tmp.\(first.pid)"), "\(created)")
        #expect(!created.contains("state.json.tmp.\(second.pid)"), "\(created)")

        second.signal(SIGTERM)
        #expect(second.waitForExit() == 0)
        #expect(second.log.contains("event=stopped"), "\(second.log)")
        #expect(first.process.isRunning)
        #expect((first.state()?["pid"] as? Int).map(Int32.init) == first.pid)
        #expect(try SluiceBinary.run(["status", "--config", fixture.config]).stdout.hasPrefix("daemon pid \(first.pid),"))
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
    }
}
