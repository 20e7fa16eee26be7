import Foundation
import SluiceTestSupport
import Testing

/// `sluice diff` and `sluice create --autogenerate`, run as the binary on the bundled
/// example with rows in it: each generated revision is checked, applied by `upgrade`, and
/// must keep the rows.
@Suite("Autogenerate end to end")
struct AutogenerateTests {
    typealias Project = CLITests.Project

    /// The example, initialised with a few rows, and `schema.sql` beside its versions
    /// directory holding exactly the schema its heads produce.
    static func project() throws -> Project {
        let project = Project()
        #expect(try project.sluice("init").status == 0)
        _ = try project.sqlite(project.database, """
            INSERT INTO users (id, full_name, email) VALUES (1, 'Ada', 'ada@example.org'), (2, 'Grace', NULL);
            INSERT INTO payment_cards (id, user_id, vault_token, last4, expires_on) VALUES (1, 1, 'tok_1', '4242', '2030-01');
            INSERT INTO transactions (id, card_id, amount_cents, status) VALUES (1, 1, 1250, 'captured'), (2, 1, 99, 'authorized');
            """)
        let schema = try project.sqlite(project.database, "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name NOT IN ('alembic_version', 'sluice_history') ORDER BY rowid")
        try write(schema, to: project)
        return project
    }

    static func schemaPath(_ project: Project) -> String { project.directory.url("schema.sql") }

    static func write(_ schema: String, to project: Project) throws {
        try schema.write(toFile: schemaPath(project), atomically: true, encoding: .utf8)
    }

    static func edit(_ project: Project, _ change: (String) -> String) throws {
        try write(change(try String(contentsOfFile: schemaPath(project), encoding: .utf8)), to: project)
    }

    static func revisionFiles(_ project: Project) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: project.versions))
    }

    /// Writes a revision with `create --autogenerate`, checks it, applies it, and returns its text.
    static func generateAndApply(_ project: Project, _ message: String, _ extra: [String] = []) throws -> String {
        let before = try revisionFiles(project)
        let create = try project.sluice("create", "--autogenerate", "-m", message, extra: extra)
        #expect(create.status == 0, "\(create.stdout)\(create.stderr)")
        let added = try revisionFiles(project).subtracting(before)
        let name = try #require(added.first, "no file written: \(create.stdout)\(create.stderr)")
        #expect(create.stdout.contains("Generating \(project.versions)/\(name) ... done"))
        let check = try project.sluice("check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let upgrade = try project.sluice("upgrade", "heads")
        #expect(upgrade.status == 0, "\(upgrade.stdout)\(upgrade.stderr)")
        let diff = try project.sluice("diff")
        #expect(diff.status == 0, "after \(message), the heads still differ from schema.sql: \(diff.stdout)")
        return try String(contentsOfFile: project.versions + "/" + name, encoding: .utf8)
    }

    @Test("The bundled example's migrations/schema.sql is what its heads give: diff with the shipped configuration exits 0")
    func bundledExample() throws {
        let result = try SluiceBinary.run(["diff", "--config", CLITests.root + "/config/sluice.toml"], in: CLITests.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "No differences: the heads give \(CLITests.root)/migrations/schema.sql.\n")
    }

    @Test("diff exits 0 when the heads give schema.sql and 3 with the statements when not; nothing is written")
    func diffExitStatus() throws {
        let project = try Self.project()
        let same = try project.sluice("diff")
        #expect(same.status == 0)
        #expect(same.stdout.contains("No differences"))
        try Self.edit(project) { $0 + "\nCREATE INDEX ix_users_full_name ON users (full_name);\n" }
        let files = try Self.revisionFiles(project)
        let differs = try project.sluice("diff")
        #expect(differs.status == 3)
        #expect(differs.stdout == "-- create index ix_users_full_name on users\nCREATE INDEX ix_users_full_name ON users (full_name);\n")
        #expect(try Self.revisionFiles(project) == files)
        let json = try project.sluice("diff", "--json")
        #expect(json.status == 3)
        #expect(json.stdout.contains("\"differs\" : true") || json.stdout.contains("\"differs\": true"), "\(json.stdout)")
    }

    @Test("Add a column, change a type through a rebuild, add an index: one revision, applied, the rows kept")
    func columnTypeAndIndex() throws {
        let project = try Self.project()
        try Self.edit(project) { schema in
            schema
                .replacingOccurrences(of: ", email TEXT);", with: ", email TEXT, nickname TEXT);")
                .replacingOccurrences(of: "amount_cents INTEGER NOT NULL", with: "amount_cents NUMERIC NOT NULL")
                + "\nCREATE INDEX ix_transactions_status ON transactions (status) WHERE status <> 'declined';\n"
        }
        let text = try Self.generateAndApply(project, "Nicknames, decimal amounts, status index")
        #expect(text.contains("-- users: add column nickname\nALTER TABLE users ADD COLUMN nickname TEXT;"))
        #expect(text.contains("-- transactions: rebuilt, as SQLite cannot make these changes in place:\n--   column amount_cents: `amount_cents INTEGER NOT NULL` becomes `amount_cents NUMERIC NOT NULL`"))
        #expect(text.contains("CREATE INDEX ix_transactions_status ON transactions (status) WHERE status <> 'declined';"))
        #expect(text.contains("-- drop trigger trg_transactions_status"))
        #expect(!text.contains("Destructive:"))
        #expect(try project.sqlite(project.database, "SELECT id, amount_cents, status FROM transactions ORDER BY id") == "1|1250|captured\n2|99|authorized\n")
        #expect(try project.sqlite(project.database, "SELECT type FROM pragma_table_info('transactions') WHERE name = 'amount_cents'") == "NUMERIC\n")
        // The trigger made again still works on the rebuilt table.
        _ = try project.sqlite(project.database, "UPDATE transactions SET status = 'refunded' WHERE id = 1")
        #expect(try project.sqlite(project.database, "SELECT old_status, new_status FROM transaction_events") == "captured|refunded\n")
        // And the downgrade goes back, rows and all.
        let down = try project.sluice("downgrade", "-1")
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try project.sqlite(project.database, "SELECT type FROM pragma_table_info('transactions') WHERE name = 'amount_cents'") == "INTEGER\n")
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM transactions") == "2\n")
    }

    @Test("Dropping a view is refused without --allow-destructive, naming it, and written with it")
    func dropView() throws {
        let project = try Self.project()
        try Self.edit(project) { $0 + "\nCREATE VIEW active_cards AS SELECT c.id, u.email FROM payment_cards c JOIN users u ON u.id = c.user_id;\n" }
        let added = try Self.generateAndApply(project, "Active cards view")
        #expect(added.contains("CREATE VIEW active_cards"))

        try Self.edit(project) { $0.replacingOccurrences(of: "\nCREATE VIEW active_cards AS SELECT c.id, u.email FROM payment_cards c JOIN users u ON u.id = c.user_id;\n", with: "\n") }
        let files = try Self.revisionFiles(project)
        let refused = try project.sluice("create", "--autogenerate", "-m", "Drop the view")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("nothing written: the change would remove\n  view active_cards\npass --allow-destructive"), "\(refused.stderr)")
        #expect(try Self.revisionFiles(project) == files)

        let text = try Self.generateAndApply(project, "Drop the view", ["--allow-destructive"])
        #expect(text.contains("-- drop view active_cards (not in the resulting schema)\nDROP VIEW active_cards;"))
        #expect(text.contains("-- +downgrade\n-- create view active_cards\nCREATE VIEW active_cards"))
        #expect(!text.contains("Destructive: allowed"), "a view holds no data")
    }

    @Test("A renamed column without its hint is refused as a lost column, with the hint suggested; with it, renamed in place and the values kept")
    func renameWithHint() throws {
        let project = try Self.project()
        try Self.edit(project) { $0.replacingOccurrences(of: "full_name TEXT NOT NULL", with: "display_name TEXT NOT NULL") }
        let refused = try project.sluice("create", "--autogenerate", "-m", "Display names")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("column users.full_name (its values)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--rename users.full_name=display_name"))

        let text = try Self.generateAndApply(project, "Display names", ["--rename", "users.full_name=display_name"])
        #expect(text.contains("-- users: rename column full_name to display_name\nALTER TABLE users RENAME COLUMN full_name TO display_name;"))
        #expect(text.contains("ALTER TABLE users RENAME COLUMN display_name TO full_name;"))
        #expect(try project.sqlite(project.database, "SELECT display_name FROM users ORDER BY id") == "Ada\nGrace\n")
    }

    @Test("A dropped column with --allow-destructive gets `Destructive: allowed` and passes the daemon's validation")
    func dropColumn() throws {
        let project = try Self.project()
        try Self.edit(project) { $0.replacingOccurrences(of: ", email TEXT);", with: ");").replacingOccurrences(of: "CREATE INDEX ix_users_email ON users (email);\n", with: "") }
        let text = try Self.generateAndApply(project, "No more emails", ["--allow-destructive"])
        #expect(text.contains("-- Destructive: allowed"))
        #expect(text.contains("ALTER TABLE users DROP COLUMN email;"))
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'") == "0\n")
    }

    @Test("A change the real rows refuse (a unique constraint on duplicate values) is rehearsed on a copy of the database and not written")
    func rowsRefuse() throws {
        let project = try Self.project()
        _ = try project.sqlite(project.database, "INSERT INTO users (id, full_name) VALUES (3, 'Ada')")
        try Self.edit(project) { $0.replacingOccurrences(of: "full_name TEXT NOT NULL", with: "full_name TEXT NOT NULL UNIQUE") }
        let files = try Self.revisionFiles(project)
        let create = try project.sluice("create", "--autogenerate", "-m", "Unique names")
        #expect(create.status == 1)
        #expect(create.stderr.contains("nothing written: the generated revision does not pass validation:\n  on a copy of \(project.database) with its rows, the rehearsal fails at line"), "\(create.stderr)")
        #expect(create.stderr.contains("UNIQUE constraint failed: sluice_new_users.full_name"))
        #expect(try Self.revisionFiles(project) == files)
        #expect(try project.sqlite(project.database, "SELECT count(*) FROM users") == "3\n")
    }

    @Test("Drift becomes a revision: check suggests it, --from-database writes it, stamp records it, check passes")
    func driftIntoRevision() throws {
        let project = try Self.project()
        _ = try project.sqlite(project.database, "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT NOT NULL); ALTER TABLE users ADD COLUMN locale TEXT DEFAULT 'en';")
        let check = try project.sluice("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("sluice create --autogenerate --from-database -m \"Sync schema\""), "\(check.stdout)")

        let before = try Self.revisionFiles(project)
        let create = try project.sluice("create", "--autogenerate", "--from-database", "-m", "Sync schema")
        #expect(create.status == 0, "\(create.stderr)")
        let name = try #require(try Self.revisionFiles(project).subtracting(before).first)
        let id = String(name.prefix(12))
        #expect(create.stdout.contains("already has this schema: once reviewed, record the revision there with `sluice stamp \(id)`"))
        let text = try String(contentsOfFile: project.versions + "/" + name, encoding: .utf8)
        #expect(text.contains("ALTER TABLE users ADD COLUMN locale TEXT DEFAULT 'en';"))
        #expect(text.contains("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT NOT NULL);"))
        #expect(try project.sluice("stamp", id).status == 0)
        let after = try project.sluice("check")
        #expect(after.status == 0, "\(after.stdout)")
    }

    @Test("--from-database refuses a database that is not at the parent: the revision would undo what it lacks")
    func fromDatabaseBehind() throws {
        let project = try Self.project()
        let down = try project.sluice("downgrade", "b7e4f2a91c03")
        #expect(down.status == 0, "\(down.stderr)")
        let create = try project.sluice("create", "--autogenerate", "--from-database", "-m", "Sync schema")
        #expect(create.status == 1)
        #expect(create.stderr.contains("is at b7e4f2a91c03, c41f6e9b2d85, not at e9a3b5c7d1f2"), "\(create.stderr)")
        #expect(create.stderr.contains("Upgrade it first"))
    }

    @Test("A directory of schema files is run in name order: tables first, then what refers to them")
    func schemaDirectory() throws {
        let project = try Self.project()
        let directory = project.directory.url("schema.d")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // 20 names a table only 10 creates; read in any other order, it would be refused.
        try (try String(contentsOfFile: Self.schemaPath(project), encoding: .utf8))
            .write(toFile: directory + "/10_tables.sql", atomically: true, encoding: .utf8)
        try "CREATE INDEX ix_users_full_name ON users (full_name);\n".write(toFile: directory + "/20_indexes.sql", atomically: true, encoding: .utf8)
        try "not SQL, and not read\n".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        let result = try project.sluice("diff", "--schema", directory)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "-- create index ix_users_full_name on users\nCREATE INDEX ix_users_full_name ON users (full_name);\n")
    }

    @Test("A desired schema SQLite refuses is named by file and line; the schema path comes from --schema or the configuration")
    func badSchemaFile() throws {
        let project = try Self.project()
        let broken = project.directory.url("broken.sql")
        try "CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE INDEX ix_b ON b (x);\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let result = try project.sluice("diff", "--schema", broken)
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(broken):3: no such table: main.b"), "\(result.stderr)")

        let config = project.directory.url("sluice.toml")
        try "database = \"app.db\"\nversions = \"versions\"\nschema = \"broken.sql\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let configured = try SluiceBinary.run(["diff", "--config", config], in: project.directory.path)
        #expect(configured.status == 2)
        #expect(configured.stderr.contains("\(broken):3:"), "\(configured.stderr)")
    }
}
