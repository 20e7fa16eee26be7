import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// `sluice import alembic` end to end: the built binary on a copy of
/// `examples/alembic-project`, with the real Alembic 1.20.1 and SQLAlchemy 2.1.9 from
/// `AlembicEnvironment`, and Alembic itself as the oracle (its `history`, its online
/// `upgrade`, the database it leaves).
@Suite("sluice import alembic")
struct ImportAlembicTests {
    /// A copy of the sample Alembic project with a sluice versions directory beside it.
    final class Project {
        let directory = TemporaryDirectory(prefix: "sluice-import")
        let python: String
        var alembic: String { directory.url("alembic") }
        var versions: String { directory.url("sluice/versions") }
        var database: String { directory.url("app.db") }
        var options: [String] { ["--versions", versions, "--database", database] }

        init() throws {
            python = try AlembicEnvironment.python()
            let source = AlembicEnvironment.root + "/examples/alembic-project"
            try FileManager.default.copyItem(atPath: source, toPath: alembic)
            try? FileManager.default.removeItem(atPath: alembic + "/shop.db")
        }

        /// `sluice import alembic …` run from the Alembic project's directory.
        @discardableResult
        func importAlembic(_ extra: String...) throws -> SluiceBinary.Result {
            try SluiceBinary.run(["import", "alembic"] + options + ["--python", python] + extra, in: alembic)
        }

        /// Any other `sluice` command on the imported versions.
        @discardableResult
        func sluice(_ command: String, _ extra: String...) throws -> SluiceBinary.Result {
            try SluiceBinary.run([command] + options + extra, in: directory.path)
        }

        /// Alembic's own command line in the project (`python -m alembic …`).
        @discardableResult
        func alembicCommand(_ arguments: String...) throws -> SluiceBinary.Result {
            try SluiceBinary.runProgram(python, ["-m", "alembic"] + arguments, in: alembic, environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        }

        /// The written file of a revision.
        func file(_ id: String) throws -> String {
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: versions).first { $0.hasPrefix(id + "_") })
            return try String(contentsOfFile: versions + "/" + name, encoding: .utf8)
        }

        func path(_ id: String) throws -> String {
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: versions).first { $0.hasPrefix(id + "_") })
            return versions + "/" + name
        }

        /// Adds an Alembic revision on top of the sample's head, from the head's own file,
        /// with `upgrade` (and `downgrade`) as the body of its functions.
        func addRevision(_ id: String, _ message: String, upgrade: String, downgrade: String? = nil) throws {
            let head = try String(contentsOfFile: alembic + "/versions/7f3a1e5d2c94_add_shipped_at_to_orders.py", encoding: .utf8)
            let text = head
                .replacingOccurrences(of: "Add shipped_at to orders", with: message)
                .replacingOccurrences(of: "Revises: 4b8e2f6a9c05", with: "Revises: 7f3a1e5d2c94")
                .replacingOccurrences(of: "= \"4b8e2f6a9c05\"", with: "= \"7f3a1e5d2c94\"")
                .replacingOccurrences(of: "revision: str = \"7f3a1e5d2c94\"", with: "revision: str = \"\(id)\"")
                .replacingOccurrences(of: "Revision ID: 7f3a1e5d2c94", with: "Revision ID: \(id)")
                .replacingOccurrences(of: "    op.add_column(\"orders\", sa.Column(\"shipped_at\", sa.DateTime(), nullable=True))\n", with: upgrade)
                .replacingOccurrences(of: "    op.drop_column(\"orders\", \"shipped_at\")", with: downgrade ?? "    op.drop_column(\"orders\", \"shipped_at\")")
            let slug = message.lowercased().replacingOccurrences(of: " ", with: "_")
            try text.write(toFile: alembic + "/versions/\(id)_\(slug).py", atomically: true, encoding: .utf8)
        }

        /// Writes the Python data migration by hand in its placeholder: its SQL, and the
        /// marker line removed. `extra` is appended to the upgrade (to make it differ),
        /// `downgrade` to the downgrade (empty: irreversible).
        func completePlaceholder(extra: String = "", downgrade: String = "") throws {
            let path = try path(ImportAlembicTests.python)
            var text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("-- sluice: placeholder") }
            text = lines.joined(separator: "\n").replacingOccurrences(
                of: "-- +upgrade\n", with: "-- +upgrade\nUPDATE users SET email = lower(trim(email)) WHERE email <> lower(trim(email));\n\(extra)")
            text += downgrade
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// The Python data migration of the sample, which Alembic cannot render offline.
    static let python = "4b8e2f6a9c05"
    /// Every revision of the sample.
    static let ids = ["3f1c9a7b2e10", "8a4d2c6e1f93", "c27e5b9d4a18", "5e9b1d3c7f20", "e1a7f4c08b36", "9d0c6a2f5b71", python, "7f3a1e5d2c94"]

    /// Should report the Python data migration with Alembic's own reason, exit 1 and
    /// write nothing, and report no other revision.
    @Test("Without --placeholders the unrenderable revision is reported with Alembic's reason and nothing is written")
    func unrenderableReported() throws {
        let project = try Project()
        let result = try project.importAlembic()
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("4b8e2f6a9c05 (versions/4b8e2f6a9c05_normalise_user_emails.py, Normalise user emails) cannot be rendered offline"))
        #expect(result.stderr.contains("upgrade(): AttributeError: 'NoneType' object has no attribute 'fetchall' (versions/4b8e2f6a9c05_normalise_user_emails.py:28, in upgrade)"))
        #expect(result.stderr.contains("it reads rows through op.get_bind() (SELECT id, email FROM users at versions/4b8e2f6a9c05_normalise_user_emails.py:28)"))
        #expect(result.stderr.contains("1 revision(s) cannot be rendered offline"))
        #expect(result.stderr.components(separatedBy: "cannot be rendered offline:").count == 2, "only the Python migration: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.versions))
        // The project is left as it was: no bytecode, no database.
        #expect(!FileManager.default.fileExists(atPath: project.alembic + "/versions/__pycache__"))
        #expect(!FileManager.default.fileExists(atPath: project.alembic + "/shop.db"))
    }

    /// Should keep ids, parents, branch labels, dependencies, messages and create dates:
    /// the written headers say so, and sluice's history is Alembic's, line for line.
    @Test("Headers keep Alembic's ids, parents, labels, dependencies, messages and create dates")
    func headersPreserved() throws {
        let project = try Project()
        let result = try project.importAlembic("--placeholders")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.versions).sorted() == [
            "3f1c9a7b2e10_create_users_table.sql", "4b8e2f6a9c05_normalise_user_emails.sql", "5e9b1d3c7f20_create_audit_log.sql",
            "7f3a1e5d2c94_add_shipped_at_to_orders.sql", "8a4d2c6e1f93_create_orders_table.sql",
            "9d0c6a2f5b71_merge_orders_and_audit_branches.sql", "c27e5b9d4a18_require_an_order_status_and_drop_the.sql",
            "e1a7f4c08b36_backfill_audit_events_from_orders.sql",
        ])
        #expect(try project.file("3f1c9a7b2e10").hasPrefix("""
            -- Create users table
            --
            -- Revision ID: 3f1c9a7b2e10
            -- Revises: None
            -- Create Date: 2025-03-03 09:12:44.318207

            """))
        #expect(try project.file("5e9b1d3c7f20").hasPrefix("""
            -- Create audit log
            --
            -- Revision ID: 5e9b1d3c7f20
            -- Revises: 3f1c9a7b2e10
            -- Create Date: 2025-03-12 08:55:31.772016
            -- Branch Labels: audit

            """))
        #expect(try project.file("e1a7f4c08b36").hasPrefix("""
            -- Backfill audit events from orders
            --
            -- Revision ID: e1a7f4c08b36
            -- Revises: 5e9b1d3c7f20
            -- Create Date: 2025-04-02 16:21:03.120458
            -- Depends On: 8a4d2c6e1f93

            """))
        #expect(try project.file("9d0c6a2f5b71").hasPrefix("""
            -- Merge orders and audit branches
            --
            -- Revision ID: 9d0c6a2f5b71
            -- Revises: c27e5b9d4a18, e1a7f4c08b36
            -- Create Date: 2025-04-03 10:00:12.845120

            """))
        // The batch migration drops a column on purpose: acknowledged in the header.
        #expect(try project.file("c27e5b9d4a18").hasPrefix("""
            -- Require an order status and drop the legacy reference
            --
            -- Revision ID: c27e5b9d4a18
            -- Revises: 8a4d2c6e1f93
            -- Create Date: 2025-04-01 11:40:27.004512
            -- Destructive: allowed

            """))
        #expect(result.stdout.contains("c27e5b9d4a18's upgrade drops data (column orders.legacy_ref is dropped)"))
        // The batch rebuild and the SQL data migration as Alembic rendered them; no
        // version-table statement; a `pass` downgrade of a data-only upgrade is a no-op.
        let batch = try project.file("c27e5b9d4a18")
        #expect(batch.contains("CREATE TABLE _alembic_tmp_orders (") && batch.contains("ALTER TABLE _alembic_tmp_orders RENAME TO orders;"))
        let backfill = try project.file("e1a7f4c08b36")
        #expect(backfill.contains("-- +upgrade\nINSERT INTO audit_events (user_id, kind, created_at) SELECT user_id, 'order_placed', CURRENT_TIMESTAMP FROM orders;\n"))
        #expect(backfill.hasSuffix("an empty section would make it irreversible.\nSELECT 1;\n"))
        for id in Self.ids { #expect(try !project.file(id).contains("alembic_version"), "\(id)") }

        // sluice's history of the imported files is Alembic's history of the project.
        let alembic = try project.alembicCommand("history")
        #expect(alembic.status == 0, "\(alembic.stderr)")
        let sluice = try project.sluice("history")
        #expect(sluice.status == 0, "\(sluice.stderr)")
        let lines = { (text: String) in Set(text.split(separator: "\n").map(String.init)) }
        #expect(lines(sluice.stdout) == lines(alembic.stdout), "sluice:\n\(sluice.stdout)\nAlembic:\n\(alembic.stdout)")
        #expect(lines(sluice.stdout).count == 8)
    }

    /// Should write the placeholder with its marker and Alembic's reason, and have
    /// `check`, `upgrade`, `upgrade --sql` and `upgrade --skip-rehearsal` refuse it at
    /// the marker's line, leaving no trace of it in the database.
    @Test("--placeholders writes a marked placeholder that check and every applying path reject")
    func placeholderRejected() throws {
        let project = try Project()
        let result = try project.importAlembic("--placeholders")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("placeholder  4b8e2f6a9c05_normalise_user_emails.sql (placeholder: write its SQL by hand, then remove line 9)"))
        let placeholder = try project.file(Self.python)
        let lines = placeholder.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[8] == "-- sluice: placeholder written by `sluice import alembic`; write its SQL by hand and remove this line")
        #expect(placeholder.contains("--   AttributeError: 'NoneType' object has no attribute 'fetchall' (versions/4b8e2f6a9c05_normalise_user_emails.py:28, in upgrade)"))
        let path = try project.path(Self.python)
        let expected = "\(path):9: \(PlaceholderText.reason)"

        let check = try project.sluice("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains(expected), "\(check.stdout)")
        #expect(check.stdout.contains("7f3a1e5d2c94 was not rehearsed: it needs 4b8e2f6a9c05"))
        let json = try project.sluice("check", "--json")
        let problems = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["problems"] as? [[String: Any]])
        let problem = try #require(problems.first { $0["kind"] as? String == "placeholder" }, "\(json.stdout)")
        #expect(problem["file"] as? String == path && problem["line"] as? Int == 9 && problem["revision"] as? String == Self.python)

        let upgrade = try project.sluice("upgrade", "heads")
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains(expected), "\(upgrade.stderr)")
        #expect(try SQLiteShell.run(project.database, "SELECT count(*) FROM alembic_version") == "0\n")

        let offline = try project.sluice("upgrade", "heads", "--sql")
        #expect(offline.status == 1)
        #expect(offline.stderr.contains(expected), "\(offline.stderr)")

        // Without the rehearsal, the migrator itself stops before the placeholder: what
        // comes before it is applied, the placeholder neither runs nor is recorded.
        let skipped = try project.sluice("upgrade", "heads", "--skip-rehearsal")
        #expect(skipped.status == 1)
        #expect(skipped.stderr.contains("\(path):9: upgrade of 4b8e2f6a9c05 failed: \(PlaceholderText.reason)\n    not started: nothing of 4b8e2f6a9c05 ran"), "\(skipped.stderr)")
        #expect(try SQLiteShell.run(project.database, "SELECT version_num FROM alembic_version") == "9d0c6a2f5b71\n")
        #expect(try SQLiteShell.run(project.database, "SELECT count(*) FROM sluice_history WHERE revision = '4b8e2f6a9c05'") == "0\n")
    }

    /// Should reject the placeholder in the daemon too, naming the file.
    @Test("The daemon rejects the placeholder with the same reason")
    func daemonRejectsPlaceholder() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        let config = project.directory.write("sluice.toml", """
            database = "app.db"
            versions = "sluice/versions"
            state_file = "state.json"
            settle = "100ms"
            [log]
            format = "text"
            [[window]]
            name = "staging"
            always = true
            [[blackout]]
            from = "2000-01-01T00:00:00Z"
            until = "2100-01-01T00:00:00Z"
            """)
        let daemon = try DaemonProcess(config: config, statePath: project.directory.url("state.json"), directory: project.directory.path)
        defer { daemon.signal(SIGTERM); _ = daemon.waitForExit() }
        let rejected = { daemon.entries("rejected").contains { ($0["reason"] as? String)?.contains("placeholder written by `sluice import alembic`") == true } }
        #expect(daemon.wait(until: rejected), "\(daemon.log)")
        let entry = try #require(daemon.entries("rejected").first)
        #expect((entry["file"] as? String)?.hasSuffix("4b8e2f6a9c05_normalise_user_emails.sql") == true, "\(entry)")
        #expect(daemon.entries("rejected").count == 1)
    }

    /// Should keep a placeholder written by hand on a re-run, pass `check`, and find no
    /// difference between sluice's and Alembic's databases.
    @Test("After the placeholder is written by hand, a re-run keeps it and --verify finds no difference")
    func verifyClean() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        try project.completePlaceholder()
        let written = try project.file(Self.python)
        let result = try project.importAlembic("--verify")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("kept         4b8e2f6a9c05_normalise_user_emails.sql (written by hand in place of a placeholder)"))
        #expect(try project.file(Self.python) == written)
        #expect(result.stdout.contains("verify: sluice upgraded a scratch database to heads (8 revisions)"))
        #expect(result.stdout.contains("verify: Alembic upgraded another to heads (online, through env.py)"))
        #expect(result.stdout.contains("verify: no difference: 5 schema objects, their rows, and alembic_version (7f3a1e5d2c94)"), "\(result.stdout)")
        #expect(!result.stdout.contains("differs") && !result.stdout.contains("only in"))
        let check = try project.sluice("check")
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("OK: 8 revision(s), 0 applied, 8 rehearsed"))
        // --verify used scratch databases only.
        #expect(!FileManager.default.fileExists(atPath: project.database))
        #expect(!FileManager.default.fileExists(atPath: project.alembic + "/shop.db"))
    }

    /// Should print every difference by object and exit 1 when the hand-written SQL does
    /// more than the Python migration.
    @Test("--verify prints each difference by object and exits 1")
    func verifyDifferences() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        try project.completePlaceholder(extra: "CREATE INDEX ix_users_name ON users (name);\nINSERT INTO users (email, name) VALUES ('a@example.com', 'A');\n")
        // The downgrade undoes it, so sluice's own validation accepts the revision.
        let path = try project.path(Self.python)
        try (try String(contentsOfFile: path, encoding: .utf8) + "DELETE FROM users WHERE email = 'a@example.com';\nDROP INDEX ix_users_name;\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try project.importAlembic("--verify")
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verify: index ix_users_name: only in sluice's database: CREATE INDEX ix_users_name ON users (name)"), "\(result.stdout)")
        #expect(result.stdout.contains("verify: table users: rows differ: sluice has 1, Alembic 0"))
        #expect(result.stdout.contains("verify: 2 difference(s)"))
    }

    /// Should show Alembic's rows in `sluice current` for a database Alembic upgraded,
    /// need no stamp, and leave a database sluice finished that Alembic reads as its own.
    @Test("A database Alembic upgraded: same heads in sluice current, upgrade heads is a no-op, and back")
    func existingDatabase() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        try project.completePlaceholder()

        // All the way with Alembic: sluice sees the same head and has nothing to do.
        let online = try project.alembicCommand("upgrade", "heads")
        #expect(online.status == 0, "\(online.stderr)")
        let shop = project.alembic + "/shop.db"
        #expect(try SQLiteShell.run(shop, "SELECT version_num FROM alembic_version") == "7f3a1e5d2c94\n")
        let current = try SluiceBinary.run(["current", "--versions", project.versions, "--database", shop])
        #expect(current.stdout == "7f3a1e5d2c94 (head)\n", "\(current.stdout)\(current.stderr)")
        let schemaBefore = try SQLiteShell.run(shop, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
        let upgrade = try SluiceBinary.run(["upgrade", "heads", "--versions", project.versions, "--database", shop])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("nothing to do: the database is already there (7f3a1e5d2c94)"))
        #expect(try SQLiteShell.run(shop, "SELECT type, name, sql FROM sqlite_master ORDER BY name") == schemaBefore)
        #expect(try SluiceBinary.run(["check", "--versions", project.versions, "--database", shop]).status == 0)

        // Part of the way with Alembic, on both branches: sluice reads the same rows and
        // finishes, and Alembic then sees its own head.
        try FileManager.default.removeItem(atPath: shop)
        #expect(try project.alembicCommand("upgrade", "c27e5b9d4a18").status == 0)
        #expect(try project.alembicCommand("upgrade", "e1a7f4c08b36").status == 0)
        let rows = try SQLiteShell.run(shop, "SELECT version_num FROM alembic_version ORDER BY 1")
        let partial = try SluiceBinary.run(["current", "--versions", project.versions, "--database", shop])
        #expect(Set(partial.stdout.split(separator: "\n").map { String($0.prefix(12)) }) == Set(rows.split(separator: "\n").map(String.init)),
                "sluice: \(partial.stdout) Alembic: \(rows)")
        let finish = try SluiceBinary.run(["upgrade", "heads", "--versions", project.versions, "--database", shop])
        #expect(finish.status == 0, "\(finish.stderr)")
        let alembicCurrent = try project.alembicCommand("current")
        #expect(alembicCurrent.stdout.contains("7f3a1e5d2c94 (head)"), "\(alembicCurrent.stdout)\(alembicCurrent.stderr)")
    }

    /// Should leave files with the same text alone on a re-run, refuse to overwrite a
    /// changed one without --force, and replace it with --force.
    @Test("A re-run is idempotent; a changed file is refused without --force and replaced with it")
    func idempotentRerun() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        func snapshot() throws -> [String: String] {
            var files: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: project.versions) {
                files[name] = try String(contentsOfFile: project.versions + "/" + name, encoding: .utf8)
            }
            return files
        }
        let first = try snapshot()
        let again = try project.importAlembic("--placeholders")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.components(separatedBy: "  unchanged    ").count - 1 == 8, "\(again.stdout)")
        #expect(again.stdout.contains("unchanged    4b8e2f6a9c05_normalise_user_emails.sql (placeholder: write its SQL by hand, then remove line 9)"))
        #expect(try snapshot() == first)

        let path = try project.path("7f3a1e5d2c94")
        try (first[PathText(path).name]! + "-- a local note\n").write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try project.importAlembic("--placeholders")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(path): already there with other text than the import of 7f3a1e5d2c94 (pass --force to overwrite it)"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("-- a local note\n"))
        let forced = try project.importAlembic("--placeholders", "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("replaced     7f3a1e5d2c94_add_shipped_at_to_orders.sql"))
        #expect(try snapshot() == first)
    }

    /// Should report what Alembic itself refuses in offline mode (a batch migration on
    /// SQLite without copy_from) with Alembic's message.
    @Test("A batch migration without copy_from is reported with Alembic's CommandError")
    func batchWithoutCopyFrom() throws {
        let project = try Project()
        try project.addRevision("a0b1c2d3e4f5", "Require a user name", upgrade: """
                with op.batch_alter_table("users") as batch_op:
                    batch_op.alter_column("name", existing_type=sa.String(100), nullable=True)
            """)
        let result = try project.importAlembic()
        #expect(result.status == 1)
        #expect(result.stderr.contains("a0b1c2d3e4f5 (versions/a0b1c2d3e4f5_require_a_user_name.py, Require a user name) cannot be rendered offline:"), "\(result.stderr)")
        #expect(result.stderr.contains("upgrade(): CommandError: This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database connection with which to reflect the table \"users\""))
        #expect(result.stderr.contains("2 revision(s) cannot be rendered offline"))
    }

    /// Should report a revision that reads rows and ignores the missing result, which
    /// Alembic renders without complaint, rather than import it without what it did.
    @Test("A read through op.get_bind() that raises nothing is reported too")
    func silentRead() throws {
        let project = try Project()
        try project.addRevision("b1c2d3e4f5a6", "Trim user names when there are users", upgrade: """
                bind = op.get_bind()
                if bind.execute(sa.text("SELECT count(*) FROM users")):
                    op.execute("UPDATE users SET name = trim(name)")
            """)
        let result = try project.importAlembic()
        #expect(result.status == 1)
        #expect(result.stderr.contains("b1c2d3e4f5a6 (versions/b1c2d3e4f5a6_trim_user_names_when_there_are_users.py, Trim user names when there are users) cannot be rendered offline:\n    upgrade(): it reads rows through op.get_bind() (SELECT count(*) FROM users at versions/b1c2d3e4f5a6_trim_user_names_when_there_are_users.py:24), which offline mode cannot give it, so what it does with them is missing from the SQL Alembic rendered"), "\(result.stderr)")
    }

    /// Should keep a revision whose schema change Alembic's `pass` downgrade does not
    /// undo irreversible, and say why, where a data-only one gets a no-op downgrade.
    @Test("A pass downgrade of a schema change stays irreversible")
    func passDowngradeOfSchemaChange() throws {
        let project = try Project()
        try project.addRevision("c3d4e5f6a7b8", "Index order totals", upgrade: """
                op.create_index("ix_orders_total_cents", "orders", ["total_cents"])
            """, downgrade: "    pass")
        #expect(try project.importAlembic("--placeholders").status == 0)
        let text = try project.file("c3d4e5f6a7b8")
        #expect(text.hasSuffix("""
            -- +upgrade
            CREATE INDEX ix_orders_total_cents ON orders (total_cents);

            -- +downgrade
            -- Alembic's downgrade() does nothing (`pass`) but the upgrade changes the schema: sluice keeps this
            -- revision irreversible (downgrading through it is refused) rather than leave that change behind.

            """), "\(text)")
        try project.completePlaceholder()
        #expect(try project.sluice("upgrade", "heads").status == 0)
        let down = try project.sluice("downgrade", "7f3a1e5d2c94")
        #expect(down.status == 1)
        #expect(down.stderr.contains("c3d4e5f6a7b8"), "\(down.stderr)")
        #expect(down.stderr.contains("is empty or only comments"), "\(down.stderr)")
    }

    /// Should go down through the imported downgrades (a batch rebuild, a data
    /// migration's no-op, a merge) to the same database Alembic's own downgrade leaves.
    @Test("Downgrading the imported history ends where Alembic's downgrade does")
    func downgradeLikeAlembic() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        try project.completePlaceholder(downgrade: "SELECT 1;\n")
        let shop = project.alembic + "/shop.db"
        #expect(try project.alembicCommand("upgrade", "heads").status == 0)
        try FileManager.default.copyItem(atPath: shop, toPath: project.database)
        let alembic = try project.alembicCommand("downgrade", "5e9b1d3c7f20")
        #expect(alembic.status == 0, "\(alembic.stderr)")
        let sluice = try project.sluice("downgrade", "5e9b1d3c7f20")
        #expect(sluice.status == 0, "\(sluice.stderr)")
        // The audit branch goes down to its first revision; the orders branch stays, as
        // Alembic leaves it: through the drop of shipped_at, the hand-written no-op, the
        // merge and the backfill's no-op.
        #expect(sluice.stderr.contains("downgrade will unapply 4 revision(s): 7f3a1e5d2c94, 4b8e2f6a9c05, 9d0c6a2f5b71, e1a7f4c08b36"), "\(sluice.stderr)")
        #expect(sluice.stderr.contains("Running downgrade e1a7f4c08b36 -> 5e9b1d3c7f20"))
        let schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT IN ('sluice_history') ORDER BY type, name"
        let expected = try SQLiteShell.run(shop, schema)
        #expect(!expected.contains("shipped_at") && expected.contains("ix_orders_status"))
        #expect(try SQLiteShell.run(project.database, schema) == expected)
        let rows = "SELECT version_num FROM alembic_version ORDER BY 1"
        #expect(try SQLiteShell.run(shop, rows) == "5e9b1d3c7f20\nc27e5b9d4a18\n")
        #expect(try SQLiteShell.run(project.database, rows) == "5e9b1d3c7f20\nc27e5b9d4a18\n")

        // And down to base: through the batch rebuild's downgrade, to an empty schema.
        #expect(try project.alembicCommand("downgrade", "base").status == 0)
        let base = try project.sluice("downgrade", "base")
        #expect(base.status == 0, "\(base.stderr)")
        #expect(try SQLiteShell.run(project.database, schema) == SQLiteShell.run(shop, schema))
        #expect(try SQLiteShell.run(project.database, rows).isEmpty && SQLiteShell.run(shop, rows).isEmpty)
    }

    /// Should report an env.py that fails once, with its error and place, and exit 1.
    @Test("An env.py that fails is reported once, with its error and line")
    func brokenEnvironment() throws {
        let project = try Project()
        let env = project.alembic + "/env.py"
        try (try String(contentsOfFile: env, encoding: .utf8)).replacingOccurrences(of: "from shop.models import metadata", with: "from shop.schema import metadata")
            .write(toFile: env, atomically: true, encoding: .utf8)
        let result = try project.importAlembic()
        #expect(result.status == 1)
        #expect(result.stderr.contains("alembic.ini: env.py failed before any revision ran: ModuleNotFoundError: No module named 'shop.schema' (env.py:8, in <module>)"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "ModuleNotFoundError").count == 2)
        #expect(!FileManager.default.fileExists(atPath: project.versions))
    }

    /// Should stop Alembic before it connects anywhere but the scratch database, when
    /// env.py takes its online URL from somewhere else than alembic.ini.
    @Test("--verify stops an env.py that connects to another database before it connects")
    func verifyGuard() throws {
        let project = try Project()
        #expect(try project.importAlembic("--placeholders").status == 0)
        try project.completePlaceholder()
        let env = project.alembic + "/env.py"
        let elsewhere = project.directory.url("production.db")
        try (try String(contentsOfFile: env, encoding: .utf8)).replacingOccurrences(of: """
                connectable = engine_from_config(
                    config.get_section(config.config_ini_section, {}),
                    prefix="sqlalchemy.",
                    poolclass=pool.NullPool,
                )
            """, with: """
                from sqlalchemy import create_engine
                connectable = create_engine("sqlite:///\(elsewhere)")
            """).write(toFile: env, atomically: true, encoding: .utf8)
        let result = try project.importAlembic("--verify")
        #expect(result.status == 1)
        #expect(result.stderr.contains("env.py connects to sqlite database \(elsewhere), not the scratch database sluice gave it"), "\(result.stderr)")
        #expect(result.stderr.contains("so it stopped before connecting"))
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
    }

    /// Should find the interpreter through the `alembic` script: given as --python, or
    /// found on PATH.
    @Test("The interpreter is found through the alembic script, given or on PATH")
    func interpreterFromAlembicScript() throws {
        let project = try Project()
        let script = PathText(project.python).directory + "/alembic"
        let given = try SluiceBinary.run(["import", "alembic", "--placeholders", "--python", script] + project.options, in: project.alembic)
        #expect(given.status == 0, "\(given.stderr)")
        #expect(given.stdout.contains("the interpreter of \(script)): 8 revision(s)"), "\(given.stdout)")
        let path = PathText(project.python).directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let found = try SluiceBinary.run(["import", "alembic", "--placeholders"] + project.options, in: project.alembic, environment: ["PATH": path])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("the interpreter of \(script)): 8 revision(s)"), "\(found.stdout)")
        let missing = try SluiceBinary.run(["import", "alembic", "--python", "/nonexistent/python"] + project.options, in: project.alembic)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--python /nonexistent/python: no such executable"))
        let noConfig = try SluiceBinary.run(["import", "alembic", "--python", project.python] + project.options, in: project.directory.path)
        #expect(noConfig.status == 2)
        #expect(noConfig.stderr.contains("--alembic-config alembic.ini: no such file"))
    }
}

/// The placeholder's wording, as users read it.
private enum PlaceholderText {
    static let reason = "placeholder written by `sluice import alembic`; write its SQL by hand and remove this line"
}

/// Path pieces for the tests.
private struct PathText {
    let path: String
    init(_ path: String) { self.path = path }
    var directory: String { (path as NSString).deletingLastPathComponent }
    var name: String { (path as NSString).lastPathComponent }
}
