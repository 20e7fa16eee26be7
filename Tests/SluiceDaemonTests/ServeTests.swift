import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// `sluice serve` as a real process on real directories with real inotify: what is
/// dropped into `versions/` ends up queued, waiting or rejected in the state file.
@Suite("sluice serve end to end", .serialized)
struct ServeTests {
    /// Should queue a valid file copied in, and show it in `status`.
    @Test("A valid file copied in becomes queued")
    func copiedIn() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        fixture.drop("a1_first.sql", DaemonFixture.table("a1"))
        #expect(daemon.wait { daemon.queue() == ["a1"] }, "\(daemon.log)")
        let status = try SluiceBinary.run(["status", "--config", fixture.config, "--exit-code"])
        #expect(status.status == 3)
        #expect(status.stdout.contains("a1 "))
        #expect(status.stdout.contains("daemon pid \(daemon.pid)"))
    }

    /// Should validate a file written in two halves once, whole, at close.
    @Test("A file written in two halves is validated once, whole")
    func twoHalves() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        let text = DaemonFixture.table("h1")
        let half = text.utf8.count / 2
        let path = fixture.versions + "/h1_halves.sql"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(text.utf8)[0..<half].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        usleep(400_000)  // longer than the settle period: nothing may be validated yet
        _ = Array(text.utf8)[half...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #expect(daemon.wait { daemon.queue() == ["h1"] }, "\(daemon.log)")
        #expect(daemon.entries("rejected").isEmpty)
        #expect(daemon.log.components(separatedBy: "event=validated").count - 1 == 1)
    }

    /// Should pick up a file moved in with rename(2), as rsync and editors do.
    @Test("A file moved in with rename is picked up")
    func renamedIn() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        let staged = fixture.stage("r1_moved.sql", DaemonFixture.table("r1"))
        // rsync writes a hidden temporary file, then renames it.
        let hidden = fixture.versions + "/.r1_moved.sql.XyZ123"
        try FileManager.default.moveItem(atPath: staged, toPath: hidden)
        #expect(rename(hidden, fixture.versions + "/r1_moved.sql") == 0)
        #expect(daemon.wait { daemon.queue() == ["r1"] }, "\(daemon.log)")
    }

    /// Should keep a child waiting for its parent, then queue both in graph order.
    @Test("A child dropped before its parent waits, then both are queued in order")
    func childBeforeParent() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        fixture.drop("c2_child.sql", DaemonFixture.table("c2", revises: ["p1"]))
        #expect(daemon.wait { daemon.entries("waiting").first?["waiting_for"] as? String == "p1" }, "\(daemon.log)")
        #expect(daemon.queue().isEmpty)
        fixture.drop("p1_parent.sql", DaemonFixture.table("p1"))
        #expect(daemon.wait { daemon.queue() == ["p1", "c2"] }, "\(daemon.log)")
        #expect(daemon.entries("waiting").isEmpty)
    }

    /// Should reject bad files with their reasons, visible in `status`.
    @Test("Syntax error, failing rehearsal, symlink and group-writable file are rejected with reasons")
    func rejected() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        fixture.drop("b1_base.sql", DaemonFixture.table("b1"))
        fixture.drop("x1_syntax.sql", "-- broken\n--\n-- Revision ID: x1\n-- Revsies: b1\n\n-- +upgrade\nSELECT 1;\n")
        fixture.drop("x2_rehearsal.sql", RevisionText.make("x2", revises: ["b1"], upgrade: "INSERT INTO no_such_table VALUES (1);", downgrade: "SELECT 1;"))
        let target = fixture.stage("x3_target.sql", DaemonFixture.table("x3", revises: ["b1"]))
        #expect(symlink(target, fixture.versions + "/x3_link.sql") == 0)
        fixture.drop("x4_writable.sql", DaemonFixture.table("x4", revises: ["b1"]), mode: 0o664)
        #expect(daemon.wait { daemon.entries("rejected").count == 4 }, "\(daemon.log)")
        let reasons = daemon.entries("rejected").map { "\($0["file"] ?? ""): \($0["reason"] ?? "")" }.joined(separator: "\n")
        #expect(reasons.contains("x1_syntax.sql: unknown header key `Revsies`"))
        #expect(reasons.contains("x2_rehearsal.sql: upgrade fails in rehearsal: no such table: no_such_table"))
        #expect(reasons.contains("x3_link.sql: is a symbolic link"))
        #expect(reasons.contains("x4_writable.sql: is writable by its group"))
        #expect(daemon.queue() == ["b1"])
        let status = try SluiceBinary.run(["status", "--config", fixture.config])
        #expect(status.stdout.contains("rejected:"))
        #expect(status.stdout.contains("x4_writable.sql"))
        // Fixing the mode is enough: the change of attributes revalidates the file. It
        // is then held, not queued: next to x2 it makes a second head.
        chmod(fixture.versions + "/x4_writable.sql", 0o644)
        #expect(daemon.wait { daemon.entries("held").contains { $0["revision"] as? String == "x4" } }, "\(daemon.log)")
        #expect(!daemon.entries("rejected").contains { ($0["file"] as? String)?.hasSuffix("x4_writable.sql") == true })
    }

    /// Should take a deleted file out of the queue.
    @Test("Deleting a queued file removes it from the queue")
    func deleted() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        let path = fixture.drop("d1_gone.sql", DaemonFixture.table("d1"))
        #expect(daemon.wait { daemon.queue() == ["d1"] }, "\(daemon.log)")
        try FileManager.default.removeItem(atPath: path)
        #expect(daemon.wait { daemon.queue().isEmpty && daemon.state() != nil }, "\(daemon.log)")
    }

    /// Should watch the versions directory again after it is removed and created anew.
    @Test("The versions directory removed and recreated is watched again")
    func directoryRecreated() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        fixture.drop("v1_first.sql", DaemonFixture.table("v1"))
        #expect(daemon.wait { daemon.queue() == ["v1"] }, "\(daemon.log)")
        try FileManager.default.removeItem(atPath: fixture.versions)
        #expect(daemon.wait { daemon.queue().isEmpty }, "\(daemon.log)")
        try FileManager.default.createDirectory(atPath: fixture.versions, withIntermediateDirectories: false)
        fixture.drop("v2_second.sql", DaemonFixture.table("v2"))
        #expect(daemon.wait { daemon.queue() == ["v2"] }, "\(daemon.log)")
    }

    /// Should derive the same queue again after being killed.
    @Test("Killed with SIGKILL and restarted, the daemon shows the same queue")
    func killedAndRestarted() throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        fixture.drop("k1_a.sql", DaemonFixture.table("k1"))
        fixture.drop("k2_b.sql", DaemonFixture.table("k2", revises: ["k1"]))
        fixture.drop("k3_c.sql", DaemonFixture.table("k3", revises: ["missing"]))
        #expect(daemon.wait { daemon.queue() == ["k1", "k2"] && daemon.entries("waiting").count == 1 }, "\(daemon.log)")
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        let before = daemon.queue()
        let restarted = try fixture.start()
        #expect(restarted.wait { (restarted.state()?["pid"] as? Int).map(Int32.init) == restarted.pid }, "\(restarted.log)")
        #expect(restarted.queue() == before)
        #expect(restarted.entries("waiting").count == 1)
    }

    /// Should stop cleanly on SIGTERM and on SIGINT.
    @Test("SIGTERM and SIGINT stop the daemon cleanly", arguments: [SIGTERM, SIGINT])
    func shutdown(signal: Int32) throws {
        let fixture = DaemonFixture()
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.state() != nil })
        daemon.signal(signal)
        #expect(daemon.waitForExit() == 0)
        #expect(daemon.log.contains("event=stopping"))
    }

    /// Should take 2,000 files dropped at once, even when the kernel's event queue
    /// overflows (forced small when the test may change it).
    @Test("2,000 files dropped at once all end up queued")
    func twoThousand() throws {
        let limitPath = "/proc/sys/fs/inotify/max_queued_events"
        let original = try? String(contentsOfFile: limitPath, encoding: .utf8)
        let lowered = original != nil && (try? "64\n".write(toFile: limitPath, atomically: false, encoding: .utf8)) != nil
        let fixture = DaemonFixture(settle: "200ms")
        fixture.drop("0000_log.sql", RevisionText.make("n0000", upgrade: "CREATE TABLE drops (n INTEGER);", downgrade: "DROP TABLE drops;"))
        let daemon = try fixture.start()
        // The limit is read when the daemon creates its inotify instance, before its
        // first state file; the machine's own value is restored right after.
        #expect(daemon.wait { daemon.queue() == ["n0000"] }, "\(daemon.log)")
        if lowered, let original { try? original.write(toFile: limitPath, atomically: false, encoding: .utf8) }
        // Stopped, the daemon reads no events while the files land, so a small kernel
        // queue must overflow and the daemon must fall back to a full rescan.
        daemon.signal(SIGSTOP)
        for index in 1...2000 {
            let id = String(format: "n%04d", index)
            let parent = String(format: "n%04d", index - 1)
            fixture.drop("\(id)_drop.sql", RevisionText.make(id, revises: [parent], upgrade: "INSERT INTO drops VALUES (\(index));", downgrade: "DELETE FROM drops WHERE n = \(index);"))
        }
        daemon.signal(SIGCONT)
        #expect(daemon.wait(timeout: .seconds(300)) { daemon.queue().count == 2001 }, "\(daemon.log.suffix(2000))")
        #expect(daemon.queue().last == "n2000")
        if lowered { #expect(daemon.log.contains("event=rescan")) }
    }
}
