import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// `sluice pause`, `resume`, `apply-now` and `retry` against a running `sluice serve`,
/// through the control socket, binaries and files all real.
@Suite("Commands to a running daemon")
struct ControlTests {
    private func sluice(_ arguments: [String], _ fixture: DaemonFixture) throws -> SluiceBinary.Result {
        try SluiceBinary.run(arguments + ["--config", fixture.config], in: fixture.directory.path)
    }

    private func applied(_ fixture: DaemonFixture) -> String {
        (try? SQLiteShell.run(fixture.database, "SELECT version_num FROM alembic_version")) ?? ""
    }

    /// The metrics file's `sluice_paused` sample, `nil` before the file exists.
    private func pausedMetric(_ fixture: DaemonFixture) -> String? {
        let text = try? String(contentsOfFile: fixture.directory.url("metrics/sluice.prom"), encoding: .utf8)
        return text?.split(separator: "\n").first { $0.hasPrefix("sluice_paused ") }.map(String.init)
    }

    @Test("pause holds new revisions in an open window, survives a restart, shows in status and the metrics, and resume applies them; each command is logged with the caller")
    func pauseAcrossRestart() throws {
        let fixture = DaemonFixture(extra: "[metrics]\ntextfile = \"metrics/sluice.prom\"", windows: DaemonFixture.open)
        try FileManager.default.createDirectory(atPath: fixture.directory.url("metrics"), withIntermediateDirectories: true)
        var daemon = try fixture.start()
        #expect(daemon.wait { daemon.state()?["control_socket"] != nil }, "\(daemon.log)")
        let pause = try sluice(["pause", "--reason", "load test tonight"], fixture)
        #expect(pause.status == 0, "\(pause.stderr)")
        #expect(pause.stdout.contains("paused"))
        // Kept beside the database: a runtime directory holding the state file is emptied
        // by systemd at every stop.
        #expect(FileManager.default.fileExists(atPath: fixture.database + ".sluice-pause.json"))
        fixture.drop("p1_first.sql", DaemonFixture.table("p1"))
        #expect(daemon.wait { daemon.queue() == ["p1"] && (daemon.state()?["summary"] as? String)?.hasPrefix("paused (load test tonight)") == true },
                "\(String(describing: daemon.state()?["summary"]))")
        #expect(daemon.log.contains("event=control"), "\(daemon.log)")
        #expect(daemon.log.contains("caller.uid=0"), "\(daemon.log)")
        #expect(daemon.log.contains("command=pause"), "\(daemon.log)")
        #expect(!daemon.log.contains("event=applied"))
        let status = try sluice(["status"], fixture)
        #expect(status.stdout.contains("paused (load test tonight)"), "\(status.stdout)")
        #expect(daemon.wait { pausedMetric(fixture) == "sluice_paused 1.0" }, "\(String(describing: pausedMetric(fixture)))")
        // An ad-hoc window is no way around a pause.
        let applyNow = try sluice(["apply-now", "--for", "10m"], fixture)
        #expect(applyNow.status == 1)
        #expect(applyNow.stderr.contains("paused (load test tonight); `sluice resume` first"), "\(applyNow.stderr)")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon = try fixture.start()
        // The stopped daemon's state file says the same as the new one will: wait for the
        // new one's own (its pid, its control socket open) before talking to it.
        let restarted = daemon
        #expect(daemon.wait { (restarted.state()?["pid"] as? Int).map(Int32.init) == restarted.pid && restarted.state()?["control_socket"] != nil }, "\(daemon.log)")
        #expect(daemon.wait { (daemon.state()?["paused"] as? [String: Any])?["reason"] as? String == "load test tonight" }, "\(daemon.log)")
        #expect(daemon.wait { daemon.queue() == ["p1"] }, "\(daemon.log)")
        #expect(daemon.wait { pausedMetric(fixture) == "sluice_paused 1.0" }, "\(String(describing: pausedMetric(fixture)))")
        #expect(!daemon.log.contains("event=applied"))
        #expect(applied(fixture).isEmpty)

        let resume = try sluice(["resume"], fixture)
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(applied(fixture) == "p1\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.database + ".sluice-pause.json"))
        #expect(daemon.wait { pausedMetric(fixture) == "sluice_paused 0.0" }, "\(String(describing: pausedMetric(fixture)))")
        daemon.signal(SIGTERM)
        _ = daemon.waitForExit()
    }

    @Test("apply-now opens a window at once while the configured one is closed; inside a blackout it is refused unless --override-blackout")
    func applyNow() throws {
        // Windows closed by a blackout over this century.
        let fixture = DaemonFixture()
        fixture.drop("n1_first.sql", DaemonFixture.table("n1"))
        let daemon = try fixture.start()
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { daemon.queue() == ["n1"] && daemon.state()?["control_socket"] != nil }, "\(daemon.log)")
        let refused = try sluice(["apply-now", "--for", "10m"], fixture)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("inside the blackout"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--override-blackout"), "\(refused.stderr)")
        #expect(!daemon.log.contains("event=applied"))

        let opened = try sluice(["apply-now", "--for", "10m", "--override-blackout"], fixture)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout.contains("apply-now window open until"), "\(opened.stdout)")
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(daemon.log.contains("event=backup-created"), "the ad-hoc window backs up first, as any window")
        #expect(applied(fixture) == "n1\n")
    }

    @Test("apply-now in a window that is simply closed (no blackout) applies at once, and the window closes after --for")
    func applyNowOutsideWindows() throws {
        // The only window is an hour on the day after tomorrow: closed now, whatever the time.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let weekday = calendar.component(.weekday, from: Date().addingTimeInterval(2 * 86_400))
        let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let fixture = DaemonFixture(windows: "[[window]]\nname = \"weekly\"\ndays = [\"\(names[weekday - 1])\"]\nstart = \"00:00\"\nduration = \"1h\"\ntimezone = \"UTC\"\n")
        fixture.drop("w1_first.sql", DaemonFixture.table("w1"))
        let daemon = try fixture.start()
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { daemon.queue() == ["w1"] && daemon.state()?["control_socket"] != nil }, "\(daemon.log)")
        let opened = try sluice(["apply-now", "--for", "2s"], fixture)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(applied(fixture) == "w1\n")
        // After two seconds the ad-hoc window is gone and the weekly one is what counts.
        #expect(daemon.wait { daemon.log.contains("event=apply-now-closed") }, "\(daemon.log)")
        #expect(daemon.wait { (daemon.state()?["summary"] as? String)?.contains("next window") == true }, "\(String(describing: daemon.state()?["summary"]))")
    }

    @Test("retry re-runs a revision that failed on the real data once the data is fixed, without touching its file")
    func retryAfterFixingData() throws {
        // The rehearsal copies only the schema (1-byte limit): the duplicate rows are met
        // only by the real apply.
        let fixture = DaemonFixture(extra: "[validation]\nrehearsal_max_bytes = 1", windows: DaemonFixture.open)
        _ = try SQLiteShell.run(fixture.database, "CREATE TABLE users (email TEXT); INSERT INTO users VALUES ('a@x'), ('a@x');")
        let daemon = try fixture.start()
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { daemon.state()?["control_socket"] != nil }, "\(daemon.log)")
        fixture.drop("u1_unique.sql", RevisionText.make("u1", upgrade: "CREATE UNIQUE INDEX users_email ON users (email);", downgrade: "DROP INDEX users_email;"))
        #expect(daemon.wait { daemon.log.contains("event=failed") }, "\(daemon.log)")
        let early = try sluice(["retry", "u1"], fixture)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(daemon.wait { daemon.log.components(separatedBy: "event=failed").count == 3 }, "still duplicates: it fails again\n\(daemon.log)")

        _ = try SQLiteShell.run(fixture.database, "DELETE FROM users WHERE rowid = 2;")
        let wrong = try sluice(["retry", "zz9"], fixture)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("zz9 has not failed"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("failed: u1"), "\(wrong.stderr)")
        let retry = try sluice(["retry", "u1"], fixture)
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("retrying u1"))
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        #expect(applied(fixture) == "u1\n")
    }

    @Test("a caller outside root, the daemon's user and its group is refused, by the socket's mode and by its credentials")
    func refusedCaller() throws {
        let fixture = DaemonFixture(windows: DaemonFixture.open)
        // `nobody` must be able to read the project to get as far as the socket.
        chmod(fixture.directory.path, 0o755)
        let daemon = try fixture.start()
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { daemon.state()?["control_socket"] != nil }, "\(daemon.log)")
        let socket = try #require(daemon.state()?["control_socket"] as? String)
        var info = stat()
        #expect(stat(socket, &info) == 0 && info.st_mode & 0o777 == 0o660)
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SluiceBinary.path, "pause", "--config", fixture.config]

        let byMode = try SluiceBinary.runProgram(asNobody[0], Array(asNobody.dropFirst()), in: fixture.directory.path)
        #expect(byMode.status == 1)
        #expect(byMode.stderr.contains("permission denied: only root, the daemon's user and members of its control group"), "\(byMode.stderr)")

        // The file's mode loosened by hand: the daemon still refuses, on the kernel's
        // credentials of the caller, and logs who tried.
        chmod(socket, 0o666)
        let byCredentials = try SluiceBinary.runProgram(asNobody[0], Array(asNobody.dropFirst()), in: fixture.directory.path)
        #expect(byCredentials.status == 1)
        #expect(byCredentials.stderr.contains("uid 65534 may not control this daemon"), "\(byCredentials.stderr)")
        #expect(daemon.wait { daemon.log.contains("event=control-refused") }, "\(daemon.log)")
        #expect(daemon.log.contains("caller.uid=65534"))
        #expect(daemon.state()?["paused"] == nil)
    }
}
