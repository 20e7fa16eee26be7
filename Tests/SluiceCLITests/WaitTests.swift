import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// `sluice wait`, the binary against real files: it returns as soon as the database is at
/// the target, whoever applies it (the daemon or `sluice upgrade`), fails at once when a
/// revision on the way is rejected, and exits 3 when its timeout runs out.
@Suite("sluice wait")
struct WaitTests {
    /// A project whose daemon configuration has windows closed by a blackout (or open).
    private func project(open: Bool = false) -> (TemporaryDirectory, config: String) {
        let directory = TemporaryDirectory(prefix: "sluice-wait")
        directory.write("versions/a1_first.sql", RevisionText.make("a1", upgrade: "CREATE TABLE a (x INTEGER);", downgrade: "DROP TABLE a;"))
        let config = directory.write("sluice.toml", """
            database = "app.db"
            versions = "versions"
            state_file = "state.json"
            settle = "100ms"
            [log]
            format = "text"
            [[window]]
            name = "staging"
            always = true
            \(open ? "" : "[[blackout]]\nfrom = \"2000-01-01T00:00:00Z\"\nuntil = \"2100-01-01T00:00:00Z\"")
            """)
        return (directory, config)
    }

    /// Starts `sluice wait` with `arguments`, stdout and stderr kept.
    private func startWait(_ arguments: [String], config: String, in directory: TemporaryDirectory) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SluiceBinary.path)
        process.arguments = ["wait", "--config", config] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    @Test("at every head already: exits 0 at once")
    func alreadyThere() throws {
        let (directory, config) = project()
        #expect(try SluiceBinary.run(["upgrade", "--config", config], in: directory.path).status == 0)
        let wait = try SluiceBinary.run(["wait", "--config", config, "--timeout", "10s"], in: directory.path)
        #expect(wait.status == 0, "\(wait.stderr)")
    }

    @Test("behind: blocks until `sluice upgrade` brings the database to the target, then exits 0")
    func waitsForTheUpgrade() throws {
        let (directory, config) = project()
        let (process, _) = try startWait(["a1", "--timeout", "120s"], config: config, in: directory)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // It cannot have returned: the database does not even exist yet.
        #expect(process.isRunning)
        #expect(try SluiceBinary.run(["upgrade", "--config", config], in: directory.path).status == 0)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("behind: blocks until the daemon applies the new revision in its window, then exits 0")
    func waitsForTheDaemon() throws {
        let (directory, config) = project(open: true)
        let daemon = try DaemonProcess(config: config, statePath: directory.url("state.json"), directory: directory.path)
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { daemon.log.contains("event=applied") }, "\(daemon.log)")
        // a2 is not in the versions directory yet: wait waits for it to appear and be applied.
        let (process, _) = try startWait(["a2", "--timeout", "120s"], config: config, in: directory)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(process.isRunning)
        directory.write("versions/a2_second.sql", RevisionText.make("a2", revises: ["a1"], upgrade: "CREATE TABLE b (x INTEGER);", downgrade: "DROP TABLE b;"))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(daemon.log)")
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT version_num FROM alembic_version") == "a2\n")
    }

    @Test("a revision on the way rejected by the daemon: exits 1 at once, naming it and why")
    func rejectedOnTheWay() throws {
        let (directory, config) = project()
        directory.write("versions/a2_broken.sql", RevisionText.make("a2", revises: ["a1"], upgrade: "INSERT INTO missing_table VALUES (1);", downgrade: nil))
        let daemon = try DaemonProcess(config: config, statePath: directory.url("state.json"), directory: directory.path)
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        #expect(daemon.wait { !daemon.entries("rejected").isEmpty }, "\(daemon.log)")
        let wait = try SluiceBinary.run(["wait", "--config", config, "--timeout", "120s"], in: directory.path)
        #expect(wait.status == 1, "\(wait.stderr)")
        #expect(wait.stderr.contains("a2 was rejected"), "\(wait.stderr)")
        #expect(wait.stderr.contains("missing_table"), "\(wait.stderr)")
    }

    @Test("the timeout runs out first: exits 3 and says what it was waiting for")
    func timesOut() throws {
        let (directory, config) = project()
        let wait = try SluiceBinary.run(["wait", "--config", config, "--timeout", "300ms"], in: directory.path)
        #expect(wait.status == 3, "\(wait.stderr)")
        #expect(wait.stderr.contains("timed out after 300ms waiting for every head"), "\(wait.stderr)")
        #expect(wait.stderr.contains("a1 not applied, and no daemon is running"), "\(wait.stderr)")
    }

    @Test("bad usage: a timeout that is not a duration exits 2")
    func badTimeout() throws {
        let (directory, config) = project()
        let wait = try SluiceBinary.run(["wait", "--config", config, "--timeout", "soon"], in: directory.path)
        #expect(wait.status == 2, "\(wait.stderr)")
        #expect(wait.stderr.contains("--timeout soon: not a duration"), "\(wait.stderr)")
    }
}
