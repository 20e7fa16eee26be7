import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// Every command that applies revisions refuses what `check` and the daemon reject, with
/// the same message, before anything touches the database; `--skip-rehearsal` skips only
/// the rehearsal, and says so in `sluice_history`. Run against the built binary on real
/// files.
@Suite("Validation on every path")
struct ValidationOnEveryPathTests {
    /// A project at r1 (users with two rows) and r2 as given.
    private func project(r2: String, migrate: Bool = true) throws -> (TemporaryDirectory, [String]) {
        let directory = TemporaryDirectory(prefix: "sluice-every-path")
        directory.write("versions/r1_users.sql", RevisionText.make("r1", upgrade: """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
            INSERT INTO users (name, email) VALUES ('ada', 'ada@example.org'), ('grace', 'grace@example.org');
            """, downgrade: "DROP TABLE users;"))
        directory.write("versions/r2_change.sql", r2)
        let common = ["--database", directory.url("app.db"), "--versions", directory.url("versions")]
        if migrate {
            let first = try SluiceBinary.run(["upgrade", "r1"] + common, in: directory.path)
            #expect(first.status == 0, "\(first.stderr)")
        }
        return (directory, common)
    }

    private func sql(_ directory: TemporaryDirectory, _ query: String) throws -> String {
        try SQLiteShell.run(directory.url("app.db"), query).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("upgrade refuses a destructive revision as check does, with check's message, and loses nothing")
    func destructiveUpgrade() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users DROP COLUMN email;",
                                                                    downgrade: "ALTER TABLE users ADD COLUMN email TEXT;"))
        let check = try SluiceBinary.run(["check"] + common, in: directory.path)
        #expect(check.status == 1)
        let problem = try #require(check.stdout.split(separator: "\n").first.map(String.init))
        #expect(problem.contains("r2_change.sql:8: the upgrade drops data: column users.email is dropped"), "\(check.stdout)")

        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains(problem), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("refused: nothing was applied"), "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT group_concat(email) FROM users") == "ada@example.org,grace@example.org")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1")
        #expect(try sql(directory, "SELECT count(*) FROM sluice_history WHERE revision = 'r2'") == "0")

        // init and reset refuse the same.
        for command in [["init"], ["reset", "--yes"]] {
            let result = try SluiceBinary.run(command + common, in: directory.path)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains(problem), "\(command): \(result.stderr)")
            #expect(try sql(directory, "SELECT count(*) FROM users WHERE email IS NOT NULL") == "2", "\(command)")
        }
    }

    @Test("--skip-rehearsal still refuses a destructive change inside the transaction, and records the skip when it applies")
    func skipRehearsal() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "ALTER TABLE users DROP COLUMN email;",
                                                                    downgrade: "ALTER TABLE users ADD COLUMN email TEXT;"))
        let skipped = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(skipped.status == 1)
        #expect(skipped.stderr.contains("the rehearsal is skipped (--skip-rehearsal)"), "\(skipped.stderr)")
        #expect(skipped.stderr.contains("r2_change.sql:8: upgrade of r2 failed: the upgrade drops data: column users.email is dropped"), "\(skipped.stderr)")
        #expect(skipped.stderr.contains("rolled back: nothing of r2 was applied"), "\(skipped.stderr)")
        #expect(try sql(directory, "SELECT count(*) FROM users WHERE email IS NOT NULL") == "2")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1")

        directory.write("versions/r2_change.sql", RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Destructive: allowed"],
                                                                    upgrade: "ALTER TABLE users DROP COLUMN email;",
                                                                    downgrade: "ALTER TABLE users ADD COLUMN email TEXT;"))
        let applied = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try sql(directory, "SELECT outcome || ' ' || error_text FROM sluice_history WHERE revision = 'r2' ORDER BY id DESC LIMIT 1")
                == "applied rehearsal skipped (--skip-rehearsal)")
        // Without the flag nothing is noted.
        #expect(try sql(directory, "SELECT error_text IS NULL FROM sluice_history WHERE revision = 'r1'") == "1")
    }

    @Test("upgrade refuses a file strict_permissions rejects (writable by its group), as the daemon does")
    func unsafeFile() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                    downgrade: "DROP TABLE notes;"))
        #expect(chmod(directory.url("versions/r2_change.sql"), 0o664) == 0)
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains("r2_change.sql: is writable by its group (mode 664)"), "\(upgrade.stderr)")
        #expect(upgrade.stderr.contains("refused: nothing was applied"), "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1")
    }

    @Test("upgrade refuses while an applied revision's file differs from what was applied, as the daemon holds its queue")
    func changedAppliedFile() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                    downgrade: "DROP TABLE notes;"))
        let original = try String(contentsOfFile: directory.url("versions/r1_users.sql"), encoding: .utf8)
        directory.write("versions/r1_users.sql", original + "\n-- edited after it was applied\n")
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains("r1_users.sql: revision r1 was applied with checksum sha256:"), "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1")
        directory.write("versions/r1_users.sql", original)
        let restored = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(restored.status == 0, "\(restored.stderr)")
    }

    @Test("downgrade refuses a downgrade that does not restore the schema")
    func badDowngrade() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\nCREATE INDEX ix_notes ON notes (body);",
                                                                    downgrade: "DROP INDEX ix_notes;"))
        // Applied as it was before the problem was known (the daemon would have refused it).
        let up = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(up.status == 0, "\(up.stderr)")
        let down = try SluiceBinary.run(["downgrade", "-1"] + common, in: directory.path)
        #expect(down.status == 1)
        #expect(down.stderr.contains("r2_change.sql:11: the downgrade does not undo the upgrade"), "\(down.stderr)")
        #expect(down.stderr.contains("refused: nothing was applied"), "\(down.stderr)")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r2")
        #expect(try sql(directory, "SELECT count(*) FROM sqlite_master WHERE name = 'ix_notes'") == "1")
    }

    @Test("PRAGMA foreign_keys in a transactional revision is refused by upgrade, as by check")
    func foreignKeysPragma() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "PRAGMA foreign_keys = OFF;\nCREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                    downgrade: "DROP TABLE notes;"))
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 1)
        #expect(upgrade.stderr.contains("r2_change.sql:8: PRAGMA foreign_keys does nothing inside a transaction"), "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1")
    }

    /// The review's case: `END` in the middle committed the first part, deleted every
    /// user in autocommit, failed, and sluice said nothing was applied.
    @Test("END, COMMIT and ROLLBACK in a transactional revision are refused before anything runs, by check, upgrade and upgrade --skip-rehearsal", arguments: ["END;", "COMMIT;", "ROLLBACK;", "BEGIN;"])
    func transactionControl(statement: String) throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: """
            CREATE TABLE a AS SELECT * FROM users;
            \(statement)
            DELETE FROM users;
            INSERT INTO missing_table SELECT * FROM a;
            """, downgrade: "DROP TABLE a;"))
        let check = try SluiceBinary.run(["check"] + common, in: directory.path)
        #expect(check.status == 1)
        #expect(check.stdout.contains("r2_change.sql:9: "), "\(check.stdout)")
        #expect(check.stdout.contains("is refused in a transactional revision"), "\(check.stdout)")

        for flags in [[], ["--skip-rehearsal"]] {
            let upgrade = try SluiceBinary.run(["upgrade"] + flags + common, in: directory.path)
            #expect(upgrade.status == 1)
            #expect(upgrade.stderr.contains("r2_change.sql:9: "), "\(flags): \(upgrade.stderr)")
            #expect(upgrade.stderr.contains("is refused in a transactional revision"), "\(flags): \(upgrade.stderr)")
            #expect(try sql(directory, "SELECT count(*) FROM users") == "2", "\(flags)")
            #expect(try sql(directory, "SELECT count(*) FROM sqlite_master WHERE name = 'a'") == "0", "\(flags)")
            #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r1", "\(flags)")
            #expect(try sql(directory, "SELECT count(*) FROM sluice_history WHERE revision = 'r2' AND outcome = 'applied'") == "0", "\(flags)")
        }
    }

    @Test("SAVEPOINT … RELEASE inside a transactional revision stays legal and is applied whole")
    func savepoints() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: """
            SAVEPOINT copy;
            CREATE TABLE archive AS SELECT * FROM users;
            RELEASE copy;
            SAVEPOINT trial;
            DELETE FROM users;
            ROLLBACK TO trial;
            RELEASE trial;
            """, downgrade: "DROP TABLE archive;"))
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT count(*) FROM users") == "2")
        #expect(try sql(directory, "SELECT count(*) FROM archive") == "2")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r2")
    }

    @Test("Transaction: none revisions keep full control of their transactions")
    func transactionNoneKeepsControl() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Transaction: none"], upgrade: """
            BEGIN;
            CREATE TABLE a (x INTEGER);
            COMMIT;
            """, downgrade: "DROP TABLE a;"))
        let upgrade = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(try sql(directory, "SELECT version_num FROM alembic_version") == "r2")
    }

    @Test("an empty or comment-only downgrade section is described as such, not as missing")
    func emptyDowngrade() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], upgrade: "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
                                                                    downgrade: "-- nothing to undo here"))
        let up = try SluiceBinary.run(["upgrade"] + common, in: directory.path)
        #expect(up.status == 0, "\(up.stderr)")
        let down = try SluiceBinary.run(["downgrade", "-1"] + common, in: directory.path)
        #expect(down.status == 1)
        #expect(down.stderr.contains("its `-- +downgrade` section (line 10) is empty or only comments"), "\(down.stderr)")
        #expect(!down.stderr.contains("no `-- +downgrade` section"), "\(down.stderr)")
    }

    @Test("a failing Transaction: none revision does not claim a rollback")
    func transactionNoneMessages() throws {
        let (directory, common) = try project(r2: RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Transaction: none"], upgrade: """
            SELECT no_such_function();
            CREATE TABLE a (x INTEGER);
            """, downgrade: "DROP TABLE a;"))
        let first = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(first.status == 1)
        #expect(first.stderr.contains("not applied (Transaction: none): its first statement failed"), "\(first.stderr)")
        #expect(!first.stderr.contains("rolled back"), "\(first.stderr)")

        directory.write("versions/r2_change.sql", RevisionText.make("r2", revises: ["r1"], extraHeaders: ["Transaction: none"], upgrade: """
            CREATE TABLE a (x INTEGER);
            SELECT no_such_function();
            """, downgrade: "DROP TABLE a;"))
        let second = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("NOT rolled back (Transaction: none)"), "\(second.stderr)")
        // What comes after it is refused, and the refusal does not say "rolled back" either.
        directory.write("versions/r3_more.sql", RevisionText.make("r3", revises: ["r2"], upgrade: "CREATE TABLE later (x INTEGER);", downgrade: "DROP TABLE later;"))
        let third = try SluiceBinary.run(["upgrade", "--skip-rehearsal"] + common, in: directory.path)
        #expect(third.status == 1)
        #expect(third.stderr.contains("the database may hold part of revision r2"), "\(third.stderr)")
        #expect(third.stderr.contains("not started: nothing of r"), "\(third.stderr)")
        #expect(!third.stderr.contains("rolled back: nothing"), "\(third.stderr)")
    }
}
