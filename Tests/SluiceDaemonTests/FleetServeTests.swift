import Foundation
import SluiceSQLite
import SluiceTestSupport
import Testing

/// `sluice serve` on a fleet of 100+ real member files, as a process: a revision dropped
/// into the versions directory is rolled out in the window to every member, with
/// `STATUS=rollout …`, a backup and history rows per member and the member in every log
/// record; a failing member halts the rollout until a reload; a new member is migrated;
/// a member removed mid-rollout is left alone; after `SIGKILL` a restart finishes exactly
/// the members still behind.
@Suite("sluice serve on a fleet", .serialized)
struct FleetServeTests {
    final class Fleet {
        let directory = TemporaryDirectory(prefix: "sluice-fleetd")
        var config: String { directory.url("sluice.toml") }
        var statePath: String { directory.url("tenants/.sluice-fleet-state.json") }

        init(members: Int, rollout: String = "", windows: String = DaemonFixture.open) throws {
            try FileManager.default.createDirectory(atPath: directory.url("tenants"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory.url("versions"), withIntermediateDirectories: true)
            configure(rollout: rollout, windows: windows)
            directory.write("versions/r1_customers.sql", RevisionText.make("r1", upgrade: "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);", downgrade: "DROP TABLE customers;"))
            for index in 1...members { try create(index) }
            let upgraded = try SluiceBinary.run(["upgrade", "--all", "r1", "--config", config], in: directory.path)
            #expect(upgraded.status == 0, "\(upgraded.stderr)")
            for index in 1...members { try execute(index, "INSERT INTO customers (email) VALUES ('a@x'), ('b@x')") }
        }

        /// Writes the configuration; a running daemon reads it again on `SIGHUP`.
        func configure(rollout: String, windows: String, extra: String = "") {
            directory.write("sluice.toml", """
                databases = "tenants/*.db"
                versions = "versions"
                settle = "100ms"
                \(extra)
                [log]
                format = "json"
                [rollout]
                \(rollout)
                \(windows)
                """)
        }

        func name(_ index: Int) -> String { String(format: "t%03d.db", index) }
        func path(_ index: Int) -> String { directory.url("tenants/\(name(index))") }
        func create(_ index: Int) throws { _ = try Connection(path: path(index), mode: .readWriteCreate).execute("PRAGMA user_version = 0") }
        func execute(_ index: Int, _ sql: String) throws { try Connection(path: path(index), mode: .readWriteExisting).execute(sql) }
        func rows(_ index: Int, _ sql: String) throws -> [[SQLValue]] { try Connection(path: path(index), mode: .readWriteExisting).rows(sql) }
        func version(_ index: Int) -> [String] {
            ((try? rows(index, "SELECT version_num FROM alembic_version ORDER BY 1")) ?? []).compactMap { $0[0].text }
        }
        func atVersion(_ id: String, _ indexes: ClosedRange<Int>) -> Int { indexes.filter { version($0) == [id] }.count }

        func drop(_ id: String, revises: String, upgrade: String, downgrade: String) {
            directory.write("versions/\(id)_step.sql", RevisionText.make(id, revises: [revises], upgrade: upgrade, downgrade: downgrade))
        }

        func start(notify: NotifySocketListener? = nil) throws -> DaemonProcess {
            try DaemonProcess(config: config, statePath: statePath, directory: directory.path,
                              environment: notify.map { ["NOTIFY_SOCKET": $0.notifySocket] } ?? [:])
        }

        /// The state file's document.
        func state(_ daemon: DaemonProcess) -> [String: Any] { daemon.state() ?? [:] }
    }

    @Test("a dropped revision goes to all 120 members in the window: STATUS, backups, history and the member in every record")
    func rolloutInWindow() throws {
        let fleet = try Fleet(members: 120, rollout: "canaries = 1\nparallelism = 2")
        let notify = try NotifySocketListener()
        let daemon = try fleet.start(notify: notify)
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 120 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: "ALTER TABLE customers ADD COLUMN plan TEXT;", downgrade: "ALTER TABLE customers DROP COLUMN plan;")
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.state(daemon)["at_head"] as? Int == 120 && (fleet.state(daemon)["heads"] as? [String]) == ["r2"] }, "\(daemon.log)")
        let messages = notify.collect(timeout: .seconds(3)).map(\.text)
        #expect(messages.contains { $0.contains("READY=1") })
        #expect(messages.contains { $0.contains("STATUS=rollout r2: ") && $0.contains("/120 applied, 0 failed") }, "\(messages)")
        #expect(messages.contains { $0.contains("STATUS=fleet: 120/120 at r2") }, "\(messages)")
        #expect(fleet.atVersion("r2", 1...120) == 120)
        for index in [1, 77, 120] {
            #expect(try fleet.rows(index, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied' AND triggered_by = 'daemon'").first?[0].integer == 1)
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: fleet.directory.url("tenants/backups")).filter { $0.contains("-before-r2") }
        #expect(backups.count == 120)
        let migrated = daemon.log.split(separator: "\n").filter { $0.contains("\"event\":\"member-migrated\"") && $0.contains("\"revisions\":\"r2\"") }
        #expect(migrated.count == 120)
        #expect(daemon.log.split(separator: "\n").contains { $0.contains("\"event\":\"started\"") && $0.contains("\"version\":\"0.1.0 (") }, "\(daemon.log.prefix(600))")
        #expect(migrated.allSatisfy { $0.contains("\"database\":\"\(fleet.directory.url("tenants/"))") })
        // The first member migrated is the canary.
        #expect(migrated.first?.contains("t001.db") == true, "\(migrated.first ?? "")")
        let status = try SluiceBinary.run(["status", "--config", fleet.config], in: fleet.directory.path)
        #expect(status.stdout.contains("daemon pid \(daemon.pid)"), "\(status.stdout)")
        #expect(status.stdout.contains("120 member(s): 120 at head (r2)"), "\(status.stdout)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("a failing member halts the rollout and the fleet waits; after the fix a reload finishes it; a new member is migrated")
    func haltAndReload() throws {
        let fleet = try Fleet(members: 100, rollout: "parallelism = 1")
        try fleet.execute(30, "INSERT INTO customers (email) VALUES ('a@x')")
        let notify = try NotifySocketListener()
        let daemon = try fleet.start(notify: notify)
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 100 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: "CREATE UNIQUE INDEX customers_email ON customers (email);", downgrade: "DROP INDEX customers_email;")
        #expect(daemon.wait(timeout: .seconds(120)) { (fleet.state(daemon)["rollout"] as? [String: Any])?["running"] as? Bool == false && fleet.state(daemon)["failed"] as? Int == 1 }, "\(daemon.log)")
        let rollout = try #require(fleet.state(daemon)["rollout"] as? [String: Any])
        #expect(rollout["failed"] as? Int == 1)
        #expect(rollout["held"] as? Int == 70)
        #expect(fleet.atVersion("r2", 1...100) == 29)
        #expect(fleet.version(30) == ["r1"])
        #expect((fleet.state(daemon)["summary"] as? String)?.contains("rollout halted") == true, "\(fleet.state(daemon))")
        // Halted: another event does not start it again.
        try fleet.create(101)
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 101 }, "\(daemon.log)")
        #expect(fleet.atVersion("r2", 31...100) == 0)

        try fleet.execute(30, "DELETE FROM customers WHERE rowid = (SELECT max(rowid) FROM customers)")
        _ = notify.collect(timeout: .milliseconds(200))
        daemon.signal(SIGHUP)
        // systemd's reload: RELOADING=1, then READY=1 once the reload is done.
        let reload = notify.collect(timeout: .seconds(30)) { messages in messages.contains { $0.text.contains("READY=1") } }.map(\.text)
        let reloading = reload.firstIndex { $0.contains("RELOADING=1") && $0.contains("MONOTONIC_USEC=") }
        let ready = reload.firstIndex { $0.contains("READY=1") }
        #expect(reloading != nil && ready != nil && reloading! < ready!, "\(reload)")
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.state(daemon)["at_head"] as? Int == 101 }, "\(daemon.log)")
        #expect(fleet.version(101) == ["r2"], "the new member went from base to r2")
        #expect(try fleet.rows(30, "SELECT outcome FROM sluice_history WHERE revision = 'r2' ORDER BY id").compactMap { $0[0].text } == ["failed", "applied"])
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("SIGKILL mid-rollout, then a restart: every member whole, none migrated twice, the rest finished; a member removed meanwhile is left alone")
    func killedAndResumed() throws {
        let fleet = try Fleet(members: 100, rollout: "parallelism = 2")
        let daemon = try fleet.start()
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 100 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1",
                   upgrade: "CREATE TABLE ledger (n INTEGER);\nWITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 30000) INSERT INTO ledger SELECT n FROM c;",
                   downgrade: "DROP TABLE ledger;")
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.atVersion("r2", 1...100) >= 10 }, "\(daemon.log)")
        // A member ahead of the rollout leaves the fleet while it runs.
        try FileManager.default.removeItem(atPath: fleet.path(99))
        daemon.signal(SIGKILL)
        _ = daemon.waitForExit()
        let done = fleet.atVersion("r2", 1...98) + fleet.atVersion("r2", 100...100)
        #expect(done < 99, "killed after \(done) members")
        #expect(!FileManager.default.fileExists(atPath: fleet.path(99)), "a member that left is not created again")

        let restarted = try fleet.start()
        #expect(restarted.wait(timeout: .seconds(120)) { fleet.state(restarted)["at_head"] as? Int == 99 && fleet.state(restarted)["members"] as? Int == 99 }, "\(restarted.log)")
        for index in Array(1...98) + [100] {
            #expect(try fleet.rows(index, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").first?[0].integer == 1, "t\(index)")
            #expect(try fleet.rows(index, "SELECT count(*) FROM ledger").first?[0].integer == 30000)
        }
        #expect(!FileManager.default.fileExists(atPath: fleet.path(99)))
        restarted.signal(SIGTERM)
        #expect(restarted.waitForExit() == 0)
    }

    @Test("outside a window nothing is applied; STATUS says when the next one opens")
    func closedWindow() throws {
        let fleet = try Fleet(members: 100, windows: DaemonFixture.closed)
        let notify = try NotifySocketListener()
        let daemon = try fleet.start(notify: notify)
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 100 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: "ALTER TABLE customers ADD COLUMN plan TEXT;", downgrade: "ALTER TABLE customers DROP COLUMN plan;")
        #expect(daemon.wait { fleet.state(daemon)["pending"] as? Int == 100 }, "\(daemon.log)")
        #expect(fleet.atVersion("r2", 1...100) == 0)
        #expect((fleet.state(daemon)["summary"] as? String)?.contains("0/100 at r2 · next window") == true, "\(fleet.state(daemon))")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    /// An upgrade that takes a few tenths of a second on any machine (a recursive count
    /// kept to a few rows), so that a rollout over a few dozen members lasts long enough
    /// to change something in its middle.
    static func slowUpgrade(_ iterations: Int) -> String {
        "CREATE TABLE ledger AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(iterations)) SELECT n FROM c WHERE n % 100000 = 0;"
    }

    /// `from`/`until` of a blackout, in the configuration's form (whole seconds, UTC).
    static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    @Test("a window that closes mid-rollout stops new starts; the member in flight finishes; the rest are migrated when it opens again")
    func windowClosesMidRollout() throws {
        let fleet = try Fleet(members: 30, rollout: "parallelism = 1")
        let daemon = try fleet.start()
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 30 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: Self.slowUpgrade(3_000_000), downgrade: "DROP TABLE ledger;")
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.atVersion("r2", 1...30) >= 2 }, "\(daemon.log)")
        // The operator's schedule changes under the running rollout: a blackout from two
        // seconds from now, for eight seconds. The window then closes on time.
        let from = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2).rounded(.up))
        let until = from.addingTimeInterval(8)
        fleet.configure(rollout: "parallelism = 1", windows: DaemonFixture.open + "[[blackout]]\nfrom = \"\(Self.utc(from))\"\nuntil = \"\(Self.utc(until))\"\n")
        daemon.signal(SIGHUP)
        #expect(daemon.wait(timeout: .seconds(60)) {
            let rollout = fleet.state(daemon)["rollout"] as? [String: Any]
            return rollout?["running"] as? Bool == false && (rollout?["held"] as? Int ?? 0) > 0
        }, "\(daemon.log)")
        let rollout = try #require(fleet.state(daemon)["rollout"] as? [String: Any])
        #expect((rollout["halted"] as? String)?.contains("the window closed") == true, "\(rollout)")
        let migrated = fleet.atVersion("r2", 1...30)
        #expect(migrated < 30 && migrated + (rollout["held"] as? Int ?? 0) == 30, "\(rollout)")
        // While the window is closed nothing more starts.
        if Date() < until.addingTimeInterval(-1.5) {
            Thread.sleep(forTimeInterval: 1)
            #expect(fleet.atVersion("r2", 1...30) == migrated)
        }
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.atVersion("r2", 1...30) == 30 }, "\(daemon.log)")
        // Each member once; none started in the closed window (the member in flight when
        // it closed started before it, its backup's few milliseconds aside).
        let historyTime = ISO8601DateFormatter()
        historyTime.formatOptions = [.withInternetDateTime, .withFractionalSeconds]   // as sluice_history writes it
        let closedFrom = historyTime.string(from: from.addingTimeInterval(1))
        let closedUntil = historyTime.string(from: until)
        for index in 1...30 {
            let rows = try fleet.rows(index, "SELECT started_at FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").compactMap { $0[0].text }
            #expect(rows.count == 1, "t\(index)")
            #expect(rows.allSatisfy { $0 < closedFrom || $0 >= closedUntil }, "t\(index) started at \(rows) in the closed window \(closedFrom)–\(closedUntil)")
        }
        #expect(daemon.log.contains("\"event\":\"rollout-finished\"") && daemon.log.contains("window closed"), "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("a stop mid-rollout: members in flight finish whole, no new one starts, the daemon exits 0; the next start finishes the rest, each once")
    func stopMidRollout() throws {
        let fleet = try Fleet(members: 30, rollout: "parallelism = 2")
        let notify = try NotifySocketListener()
        let daemon = try fleet.start(notify: notify)
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 30 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: Self.slowUpgrade(3_000_000), downgrade: "DROP TABLE ledger;")
        #expect(daemon.wait(timeout: .seconds(120)) { fleet.atVersion("r2", 1...30) >= 3 }, "\(daemon.log)")
        _ = notify.collect(timeout: .milliseconds(50))
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(notify.collect(timeout: .seconds(1)).contains { $0.text.contains("STOPPING=1") })
        let done = fleet.atVersion("r2", 1...30)
        #expect(done < 30, "stopped after \(done) members")
        for index in 1...30 {
            // Whole or not at all: r2 with its table, or r1 without it.
            let ledger = try fleet.rows(index, "SELECT count(*) FROM sqlite_master WHERE name = 'ledger'").first?[0].integer
            #expect(fleet.version(index) == (ledger == 1 ? ["r2"] : ["r1"]), "t\(index)")
        }
        #expect(daemon.log.contains("the daemon is stopping"), "\(daemon.log)")

        let restarted = try fleet.start()
        #expect(restarted.wait(timeout: .seconds(120)) { fleet.atVersion("r2", 1...30) == 30 }, "\(restarted.log)")
        for index in 1...30 {
            #expect(try fleet.rows(index, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").first?[0].integer == 1, "t\(index)")
        }
        restarted.signal(SIGTERM)
        #expect(restarted.waitForExit() == 0)
    }

    @Test("a stop while a member's revision outlasts stop_timeout: it is interrupted and rolled back, recorded, and the daemon exits 0")
    func stopInterruptsLongMember() throws {
        let fleet = try Fleet(members: 3, rollout: "parallelism = 1")
        fleet.configure(rollout: "parallelism = 1", windows: DaemonFixture.open, extra: "stop_timeout = \"1s\"")
        let daemon = try fleet.start()
        #expect(daemon.wait { fleet.state(daemon)["members"] as? Int == 3 }, "\(daemon.log)")
        fleet.drop("r2", revises: "r1", upgrade: Self.slowUpgrade(30_000_000), downgrade: "DROP TABLE ledger;")
        // The canary's apply is under way once its rollback journal is there (the
        // rehearsal runs on a copy elsewhere).
        #expect(daemon.wait(timeout: .seconds(180)) { FileManager.default.fileExists(atPath: fleet.path(1) + "-journal") }, "\(daemon.log)")
        let stopped = ContinuousClock.now
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(ContinuousClock.now - stopped < .seconds(30), "the stop waited for the revision instead of interrupting it")
        #expect(fleet.version(1) == ["r1"])
        #expect(try fleet.rows(1, "SELECT count(*) FROM sqlite_master WHERE name = 'ledger'").first?[0].integer == 0)
        #expect(try fleet.rows(1, "PRAGMA integrity_check").first?[0].text == "ok")
        #expect(try fleet.rows(1, "SELECT outcome FROM sluice_history WHERE revision = 'r2'").compactMap { $0[0].text } == ["failed"])
        #expect(fleet.atVersion("r1", 2...3) == 2)
    }
}

/// A full disk holds the member it is on, not the fleet: the members' directory is a
/// small tmpfs on which one big member's revision cannot fit.
@Suite("A fleet on a full disk", .enabled(if: SmallFilesystem.isAvailable, "needs root to mount a small tmpfs"))
struct FleetDiskFullTests {
    @Test("the member whose revision does not fit is rolled back and waits; every other member is migrated; the rollout does not halt")
    func fullDiskHoldsOneMember() throws {
        let disk = try SmallFilesystem(bytes: 10 << 20)
        let directory = TemporaryDirectory(prefix: "sluice-fleet-full")
        try FileManager.default.createDirectory(atPath: directory.url("versions"), withIntermediateDirectories: true)
        directory.write("sluice.toml", """
            databases = "\(disk.path)/*.db"
            versions = "versions"
            settle = "100ms"
            backups = { directory = "\(directory.url("backups"))" }
            [log]
            format = "json"
            [rollout]
            parallelism = 1
            \(DaemonFixture.open)
            """)
        directory.write("versions/r1.sql", RevisionText.make("r1", upgrade: "CREATE TABLE customers (id INTEGER PRIMARY KEY, note BLOB);", downgrade: "DROP TABLE customers;"))
        for index in 1...100 { _ = try Connection(path: disk.path + String(format: "/t%03d.db", index), mode: .readWriteCreate).execute("PRAGMA user_version = 0") }
        _ = try Connection(path: disk.path + "/zz-big.db", mode: .readWriteCreate).execute("PRAGMA user_version = 0")
        #expect(try SluiceBinary.run(["upgrade", "--all", "--config", directory.url("sluice.toml")], in: directory.path).status == 0)
        try Connection(path: disk.path + "/zz-big.db", mode: .readWriteExisting).execute("INSERT INTO customers (note) SELECT zeroblob(100000) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 45) SELECT n FROM c)")

        let daemon = try DaemonProcess(config: directory.url("sluice.toml"), statePath: disk.path + "/.sluice-fleet-state.json", directory: directory.path)
        #expect(daemon.wait { daemon.state()?["members"] as? Int == 101 }, "\(daemon.log)")
        // Copies every member's rows: nothing for the small ones, 4.5 MB for big.db.
        directory.write("versions/r2.sql", RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE archive AS SELECT * FROM customers;", downgrade: "DROP TABLE archive;"))
        #expect(daemon.wait(timeout: .seconds(120)) { daemon.state()?["at_head"] as? Int == 100 && (daemon.state()?["rollout"] as? [String: Any])?["running"] as? Bool == false }, "\(daemon.log)")
        let rollout = try #require(daemon.state()?["rollout"] as? [String: Any])
        #expect(rollout["failed"] as? Int == 0, "\(String(describing: daemon.state()))")
        #expect(rollout["skipped"] as? Int == 1)
        #expect(rollout["halted"] == nil || rollout["halted"] is NSNull, "\(rollout)")
        #expect(daemon.log.contains("\"event\":\"member-skipped\"") && daemon.log.contains("disk full"), "\(daemon.log)")
        let big = try Connection(path: disk.path + "/zz-big.db", mode: .readWriteExisting)
        #expect(try big.scalar("SELECT version_num FROM alembic_version")?.text == "r1")
        #expect(try big.scalar("PRAGMA integrity_check")?.text == "ok")
        #expect(try big.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'archive'")?.integer == 0)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
