import Foundation
import SluiceSQLite
import SluiceTestSupport
import Testing

/// `upgrade --all`, `downgrade --all`, `current --all` and `check --all` on fleets of real
/// SQLite files (120 members), run as the built binary.
@Suite("Fleets from the command line", .serialized)
struct FleetTests {
    /// A fleet project: `tenants/t001.db` … with a `customers` table and a few rows each,
    /// a versions directory and `databases = "tenants/*.db"`.
    final class Fleet {
        let directory = TemporaryDirectory(prefix: "sluice-fleet")
        var config: String { directory.url("sluice.toml") }

        init(members: Int, rollout: String = "") throws {
            try FileManager.default.createDirectory(atPath: directory.url("tenants"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory.url("versions"), withIntermediateDirectories: true)
            directory.write("sluice.toml", "databases = \"tenants/*.db\"\nversions = \"versions\"\n[rollout]\n\(rollout)\n")
            directory.write("versions/r1_customers.sql", RevisionText.make("r1", upgrade: "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);", downgrade: "DROP TABLE customers;"))
            for index in 1...members { try addMember(index) }
        }

        func name(_ index: Int) -> String { String(format: "t%03d.db", index) }
        func path(_ index: Int) -> String { directory.url("tenants/\(name(index))") }

        /// A member at r1 with three distinct emails, as `upgrade` leaves a new one.
        func addMember(_ index: Int) throws {
            _ = try Connection(path: path(index), mode: .readWriteCreate)
            let created = try SluiceBinary.run(["upgrade", "--config", config, "--database", name(index), "r1"], in: directory.path)
            #expect(created.status == 0, "\(created.stderr)")
            try execute(index, "INSERT INTO customers (email) VALUES ('a@x'), ('b@x'), ('c@x')")
        }

        func execute(_ index: Int, _ sql: String) throws {
            try Connection(path: path(index), mode: .readWriteExisting).execute(sql)
        }

        /// Read as the application would: a writer's connection, which rolls back the
        /// hot journal a killed writer left.
        func rows(_ index: Int, _ sql: String) throws -> [[SQLValue]] {
            try Connection(path: path(index), mode: .readWriteExisting).rows(sql)
        }

        func version(_ index: Int) throws -> [String] {
            try rows(index, "SELECT version_num FROM alembic_version ORDER BY 1").compactMap { $0[0].text }
        }

        func drop(_ id: String, revises: String, upgrade: String, downgrade: String) {
            directory.write("versions/\(id)_step.sql", RevisionText.make(id, revises: [revises], upgrade: upgrade, downgrade: downgrade))
        }

        func sluice(_ arguments: [String]) throws -> SluiceBinary.Result {
            try SluiceBinary.run(arguments + ["--config", config], in: directory.path)
        }

        func json(_ arguments: [String]) throws -> [String: Any] {
            let result = try sluice(arguments + ["--json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
        }
    }

    @Test("120 members upgraded with canaries and two at a time, one rehearsal for all; current and check agree; a downgrade goes back")
    func rollout() throws {
        let fleet = try Fleet(members: 120, rollout: "canaries = 2\nparallelism = 2")
        fleet.drop("r2", revises: "r1", upgrade: "CREATE UNIQUE INDEX customers_email ON customers (email);", downgrade: "DROP INDEX customers_email;")
        let behind = try fleet.json(["current", "--all"])
        #expect(behind["behind"] as? Int == 120)

        let result = try fleet.sluice(["upgrade", "--all"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.prefix(2).map { $0.prefix(8) } == ["t001.db:", "t002.db:"], "canaries first: \(lines.prefix(3))")
        #expect(lines.filter { $0.contains(": upgraded r1 -> r2") }.count == 120)
        #expect(result.stdout.contains("120/120 at the target (120 upgraded, 0 already there), 0 failed, 0 skipped, 0 held; 1 rehearsal(s)"), "\(result.stdout)")
        for index in [1, 60, 120] {
            #expect(try fleet.version(index) == ["r2"])
            #expect(try fleet.rows(index, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").first?[0].integer == 1)
        }

        let current = try fleet.json(["current", "--all"])
        #expect(current["behind"] as? Int == 0)
        #expect((current["members"] as? [[String: Any]])?.count == 120)
        let again = try fleet.json(["upgrade", "--all"])
        #expect((again["summary"] as? [String: Any])?["at_target"] as? Int == 120)
        #expect((again["summary"] as? [String: Any])?["rehearsals"] as? Int == 0)
        #expect(try fleet.sluice(["check", "--all"]).status == 0)

        let down = try fleet.sluice(["downgrade", "--database", "t00*", "r1"])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout.contains("9/9 at the target (9 downgraded"), "\(down.stdout)")
        #expect(try fleet.version(5) == ["r1"])
        #expect(try fleet.version(10) == ["r2"])
        let check = try fleet.sluice(["current", "--all", "--check-heads"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("t005.db: r1 (behind)"))
    }

    @Test("a member whose rows break the revision fails alone and halts the rollout; fixed, a second run finishes it and leaves the others alone")
    func failingMemberHalts() throws {
        let fleet = try Fleet(members: 100, rollout: "parallelism = 1\nmax_failures = 1")
        try fleet.execute(40, "INSERT INTO customers (email) VALUES ('a@x')")
        fleet.drop("r2", revises: "r1", upgrade: "CREATE UNIQUE INDEX customers_email ON customers (email);", downgrade: "DROP INDEX customers_email;")
        let schemaBefore = try fleet.rows(40, "SELECT name FROM sqlite_master ORDER BY 1").compactMap { $0[0].text }

        let result = try fleet.json(["upgrade", "--all"])
        let members = try #require(result["members"] as? [[String: Any]])
        let outcome = { (index: Int) in members[index - 1]["outcome"] as? String }
        #expect((1...39).allSatisfy { outcome($0) == "migrated" })
        #expect(outcome(40) == "failed")
        #expect((members[39]["reason"] as? String)?.contains("UNIQUE") == true, "\(members[39])")
        #expect(members[39]["revision"] as? String == "r2")
        #expect((41...100).allSatisfy { outcome($0) == "held" })
        #expect((members[99]["reason"] as? String)?.contains("max_failures = 1") == true)
        // The failed member is exactly as before, with the attempt in its history.
        #expect(try fleet.version(40) == ["r1"])
        #expect(try fleet.rows(40, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").compactMap { $0[0].text }
                == schemaBefore.filter { !$0.hasPrefix("sqlite_") })
        #expect(try fleet.rows(40, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'failed'").first?[0].integer == 1)
        #expect(try fleet.version(41) == ["r1"])

        // status: the failed member and the held ones at a glance, with the reason.
        let status = try fleet.json(["status"])
        let totals = try #require(status["summary"] as? [String: Any])
        #expect(totals["failed"] as? Int == 1)
        #expect(totals["pending"] as? Int == 60)
        #expect(totals["at_head"] as? Int == 39)
        let failedMember = try #require((status["members"] as? [[String: Any]])?.first { $0["name"] as? String == "t040.db" })
        #expect((failedMember["reason"] as? String)?.hasPrefix("r2 failed") == true, "\(failedMember)")
        let text = try fleet.sluice(["status", "--exit-code"])
        #expect(text.status == 3)
        #expect(text.stdout.contains("100 member(s): 39 at head (r2), 60 pending, 0 in flight, 1 failed"), "\(text.stdout)")
        #expect(text.stdout.contains("t040.db: failed at r1, 1 to go (next r2): r2 failed"), "\(text.stdout)")
        #expect(!text.stdout.contains("t001.db"), "members at head are counted, not listed")

        try fleet.execute(40, "DELETE FROM customers WHERE rowid = (SELECT max(rowid) FROM customers)")
        let second = try fleet.json(["upgrade", "--all"])
        let summary = try #require(second["summary"] as? [String: Any])
        #expect(summary["at_target"] as? Int == 39)
        #expect(summary["migrated"] as? Int == 61)
        #expect(summary["failed"] as? Int == 0)
        #expect(try fleet.rows(1, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").first?[0].integer == 1)
        #expect(try fleet.sluice(["status", "--exit-code"]).status == 0)
    }

    @Test("status shows a member being migrated as in flight, with what its writer says; at head it stays at head")
    func inFlightMember() throws {
        let fleet = try Fleet(members: 100)
        fleet.drop("r2", revises: "r1", upgrade: "ALTER TABLE customers ADD COLUMN plan TEXT;", downgrade: "ALTER TABLE customers DROP COLUMN plan;")
        // A writer holds member 7's sluice lock and says what it applies, as a rollout's
        // or `upgrade`'s does; member 9 is at head with its lock held (a `stamp`, say).
        #expect(try fleet.sluice(["upgrade", "--database", fleet.name(9)]).status == 0)
        var writer: DatabaseLock? = try DatabaseLock(database: fleet.path(7), timeout: .seconds(5))
        writer?.announce(applying: "r2")
        let idle = try DatabaseLock(database: fleet.path(9), timeout: .seconds(5))
        let text = try fleet.sluice(["status", "--exit-code"])
        #expect(text.status == 3)
        #expect(text.stdout.contains("100 member(s): 1 at head (r2), 98 pending, 1 in flight, 0 failed"), "\(text.stdout)")
        #expect(text.stdout.contains("t007.db: in-flight at r1, 1 to go (next r2): host=") && text.stdout.contains("pid=\(getpid()) applying=r2 since="), "\(text.stdout)")
        let status = try fleet.json(["status"])
        #expect((status["summary"] as? [String: Any])?["in_flight"] as? Int == 1)
        let members = try #require(status["members"] as? [[String: Any]])
        #expect(members.first { $0["name"] as? String == "t007.db" }?["state"] as? String == "in-flight")
        #expect(members.first { $0["name"] as? String == "t009.db" }?["state"] as? String == "at-head")
        // The writer lets go: pending again.
        writer = nil
        #expect((try fleet.json(["status"])["summary"] as? [String: Any])?["in_flight"] as? Int == 0)
        _ = idle
    }

    @Test("a new member is picked up by the next run; a drifted member is reported and rehearsed on its own")
    func membershipAndDrift() throws {
        let fleet = try Fleet(members: 100)
        fleet.drop("r2", revises: "r1", upgrade: "ALTER TABLE customers ADD COLUMN plan TEXT;", downgrade: "ALTER TABLE customers DROP COLUMN plan;")
        try fleet.execute(7, "CREATE TABLE local_notes (text TEXT)")
        let first = try fleet.json(["upgrade", "--all"])
        #expect(first["drifted"] as? [String] == ["t007.db"])
        #expect((first["summary"] as? [String: Any])?["rehearsals"] as? Int == 2)
        #expect((first["summary"] as? [String: Any])?["migrated"] as? Int == 100)
        let check = try fleet.sluice(["check", "--all"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("t007.db: its schema differs"), "\(check.stdout)")

        try fleet.addMember(101)
        let current = try fleet.json(["current", "--all"])
        #expect(current["behind"] as? Int == 1)
        let second = try fleet.json(["upgrade", "--all"])
        let summary = try #require(second["summary"] as? [String: Any])
        #expect(summary["migrated"] as? Int == 1)
        #expect(summary["at_target"] as? Int == 100)
        #expect(try fleet.version(101) == ["r2"])
    }

    @Test("an application killed mid-transaction on one member: the hot journal is rolled back, never read torn, and the member is migrated")
    func deadWriterOnAMember() throws {
        let fleet = try Fleet(members: 100)
        fleet.drop("r2", revises: "r1", upgrade: "ALTER TABLE customers ADD COLUMN plan TEXT;", downgrade: "ALTER TABLE customers DROP COLUMN plan;")
        #expect(try ApplicationWriter.dieMidTransaction(fleet.path(50)), "a hot journal must be left beside t050.db")
        let current = try fleet.json(["current", "--all"])
        let member = try #require((current["members"] as? [[String: Any]])?.first { $0["name"] as? String == "t050.db" })
        #expect(member["current"] as? [String] == ["r1"], "the dead writer's `bogus` row was never committed: \(member)")
        #expect(!FileManager.default.fileExists(atPath: fleet.path(50) + "-journal"), "the survey rolls the hot journal back")
        let upgraded = try fleet.json(["upgrade", "--all"])
        #expect((upgraded["summary"] as? [String: Any])?["migrated"] as? Int == 100, "\(upgraded)")
        #expect(try fleet.version(50) == ["r2"])
        #expect(try fleet.rows(50, "PRAGMA integrity_check").first?[0].text == "ok")
        #expect(try fleet.rows(50, "SELECT count(*) FROM customers").first?[0].integer == 3)
    }

    @Test("SIGKILL mid-rollout: every member is at the old revision or the new one, whole; the next run finishes, none migrated twice")
    func killedMidRollout() throws {
        let fleet = try Fleet(members: 100, rollout: "parallelism = 2")
        fleet.drop("r2", revises: "r1",
                   upgrade: "CREATE TABLE ledger (n INTEGER);\nWITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 40000) INSERT INTO ledger SELECT n FROM c;",
                   downgrade: "DROP TABLE ledger;")
        let process = try SluiceBinary.start(["upgrade", "--all", "--config", fleet.config], in: fleet.directory.path)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        // Killed once a few members are through, while others are in flight.
        while clock.now < deadline, ((try? (1...100).filter { try fleet.version($0) == ["r2"] }.count) ?? 0) < 10 { usleep(5_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        var done = 0
        for index in 1...100 {
            let version = try fleet.version(index)
            let ledger = try fleet.rows(index, "SELECT count(*) FROM sqlite_master WHERE name = 'ledger'").first?[0].integer
            if version == ["r2"] {
                done += 1
                #expect(ledger == 1)
                #expect(try fleet.rows(index, "SELECT count(*) FROM ledger").first?[0].integer == 40000)
            } else {
                #expect(version == ["r1"], "t\(index): \(version)")
                #expect(ledger == 0, "t\(index) holds part of r2")
            }
            #expect(try fleet.rows(index, "PRAGMA integrity_check").first?[0].text == "ok")
        }
        #expect(done >= 10 && done < 100, "killed after \(done) members")

        let resumed = try fleet.json(["upgrade", "--all"])
        let summary = try #require(resumed["summary"] as? [String: Any])
        #expect(summary["at_target"] as? Int == done)
        #expect(summary["migrated"] as? Int == 100 - done)
        for index in 1...100 {
            #expect(try fleet.rows(index, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'").first?[0].integer == 1)
        }
    }

    @Test("without --all or a member name, one-database commands say how to pick; --all without databases is refused")
    func usage() throws {
        let fleet = try Fleet(members: 3)
        let bare = try fleet.sluice(["upgrade"])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("--database NAME"), "\(bare.stderr)")
        let many = try fleet.sluice(["stamp", "--database", "t00*", "r1"])
        #expect(many.status == 2)
        #expect(many.stderr.contains("names 3 members"), "\(many.stderr)")
        let one = try fleet.sluice(["current", "--database", "t002"])
        #expect(one.status == 0)
        #expect(one.stdout.contains("t002.db: r1 (head)"), "\(one.stdout)")
        #expect(!one.stdout.contains("t001.db"))
        let single = TemporaryDirectory(prefix: "sluice-single")
        let refused = try SluiceBinary.run(["current", "--all", "--database", single.url("app.db")], in: single.path)
        #expect(refused.status == 2)
    }
}
