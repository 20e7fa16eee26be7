import Testing
@testable import SluiceCore

/// The schema diff on its own, with no database: schemas are written as the
/// `sqlite_master` rows SQLite would keep for them.
@Suite("Schema diff")
struct SchemaDiffTests {
    /// A schema from `CREATE` statements, as SQLite stores them (in this order).
    static func schema(_ statements: String...) -> SchemaModel {
        SchemaModel(objects: statements.map { sql in
            let tokens = SQLTokenizer.tokens(sql)
            let kind = SchemaModel.Object.Kind.allCases.first { kind in tokens.prefix(4).contains { $0.isKeyword(kind.rawValue) } }!
            let nameIndex = tokens.firstIndex { $0.isKeyword(kind.rawValue) }! + 1
            let name = tokens[nameIndex].name!
            var table = name
            if kind == .index || kind == .trigger, let on = tokens.firstIndex(where: { $0.isKeyword("on") }) { table = tokens[on + 1].name! }
            return SchemaModel.Object(kind: kind, name: name, table: table, sql: sql)
        })
    }

    static let users = "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name TEXT NOT NULL\n)"

    @Test("Spacing, comments, keyword case and quotes are not changes")
    func formattingIsNotAChange() throws {
        let a = Self.schema(Self.users, "CREATE INDEX ix_name ON users (name)")
        let b = Self.schema("CREATE TABLE \"users\" (id integer primary key, -- the key\n \"name\" text not null)", "create index ix_name on users(name)")
        #expect(try SchemaDiff.script(from: a, to: b).isEmpty)
    }

    @Test("A new column SQLite can add in place is added with ALTER TABLE, its definition as written")
    func addColumn() throws {
        let script = try SchemaDiff.script(from: Self.schema(Self.users), to: Self.schema(
            "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name TEXT NOT NULL, email TEXT DEFAULT 'none'\n)"))
        #expect(script.steps == [.init(comment: "users: add column email", statements: ["ALTER TABLE users ADD COLUMN email TEXT DEFAULT 'none'"])])
        #expect(script.losses.isEmpty)
    }

    @Test("A column ALTER TABLE cannot add (NOT NULL without a default) rebuilds the table and fills the rows there")
    func addNotNullColumn() throws {
        let script = try SchemaDiff.script(from: Self.schema(Self.users), to: Self.schema(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)"))
        let step = try #require(script.steps.first)
        #expect(step.comment.contains("column age is NOT NULL without a default: the rows already there get 0"))
        #expect(step.statements == [
            "CREATE TABLE sluice_new_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER NOT NULL)",
            "INSERT INTO sluice_new_users (id, name, age)\n  SELECT id, name, 0 FROM users",
            "DROP TABLE users",
            "ALTER TABLE sluice_new_users RENAME TO users",
        ])
    }

    @Test("A type change is SQLite's rebuild: indexes made again, triggers on the table dropped first and made again last")
    func typeChangeRebuilds() throws {
        let trigger = "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT NEW.name; END"
        let script = try SchemaDiff.script(
            from: Self.schema(Self.users, "CREATE INDEX ix_name ON users (name)", trigger),
            to: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name BLOB NOT NULL)", "CREATE INDEX ix_name ON users (name)", trigger))
        #expect(script.steps.map(\.statements.first!) == [
            "DROP TRIGGER users_touch",
            "CREATE TABLE sluice_new_users (id INTEGER PRIMARY KEY, name BLOB NOT NULL)",
            "CREATE INDEX ix_name ON users (name)",
            trigger,
            "PRAGMA foreign_key_check",
        ])
        #expect(script.steps[1].comment.contains("column name: `name TEXT NOT NULL` becomes `name BLOB NOT NULL`"))
        #expect(script.losses.isEmpty)
    }

    @Test("A column is dropped in place when SQLite allows it, by a rebuild when it is UNIQUE; both are losses")
    func dropColumn() throws {
        let inPlace = try SchemaDiff.script(
            from: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, nickname TEXT)"),
            to: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
        #expect(inPlace.steps.flatMap(\.statements) == ["ALTER TABLE users DROP COLUMN nickname"])
        #expect(inPlace.dataLosses == [SchemaLoss(kind: .column, name: "users.nickname")])

        let unique = try SchemaDiff.script(
            from: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, nickname TEXT UNIQUE)"),
            to: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
        #expect(unique.steps.flatMap(\.statements).contains("DROP TABLE users"))
        #expect(unique.dataLosses == [SchemaLoss(kind: .column, name: "users.nickname")])
    }

    @Test("A renamed column is a rename only when a hint says so; otherwise a drop and an add, with the hint suggested")
    func renameNeedsAHint() throws {
        let before = Self.schema(Self.users, "CREATE INDEX ix_name ON users (name)")
        let after = Self.schema("CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    full_name TEXT NOT NULL\n)", "CREATE INDEX ix_name ON users (full_name)")
        let hinted = try SchemaDiff.script(from: before, to: after, renames: SchemaRenames(hints: ["users.name=full_name"]))
        #expect(hinted.steps.flatMap(\.statements) == ["ALTER TABLE users RENAME COLUMN name TO full_name"])
        #expect(hinted.losses.isEmpty)

        let guessed = try SchemaDiff.script(from: before, to: after)
        #expect(guessed.dataLosses == [SchemaLoss(kind: .column, name: "users.name")])
        #expect(guessed.renameSuggestions == ["--rename users.name=full_name"])
    }

    @Test("A renamed table keeps the foreign keys pointing at it: one ALTER TABLE, nothing else")
    func renameTable() throws {
        let before = Self.schema(Self.users, "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES users (id))")
        let after = Self.schema("CREATE TABLE members (\n    id INTEGER PRIMARY KEY,\n    name TEXT NOT NULL\n)",
                                "CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES \"members\" (id))")
        let script = try SchemaDiff.script(from: before, to: after, renames: SchemaRenames(hints: ["users=members"]))
        #expect(script.steps.flatMap(\.statements) == ["ALTER TABLE users RENAME TO members"])
        #expect(try SchemaDiff.script(from: after, to: before, renames: SchemaRenames(hints: ["users=members"]).inverted(current: before))
            .steps.flatMap(\.statements) == ["ALTER TABLE members RENAME TO users"])
    }

    @Test("A hint that does not fit the schemas is an error that says which name is wrong")
    func badHints() throws {
        let before = Self.schema(Self.users)
        let after = Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL)")
        #expect(throws: SchemaDiffError("--rename users.nmae=full_name: table users has no column nmae in the schema the revisions produce")) {
            try SchemaDiff.script(from: before, to: after, renames: SchemaRenames(hints: ["users.nmae=full_name"]))
        }
        #expect(throws: SchemaDiffError("--rename users.name: write `table=new_name` for a table or `table.column=new_name` for a column")) {
            try SchemaRenames(hints: ["users.name"])
        }
    }

    @Test("Views are dropped before the tables they read change, in reverse order, and made again after, in order; a dropped view is a loss but not of data")
    func viewsOnViews() throws {
        let v1 = "CREATE VIEW named AS SELECT id, name FROM users WHERE name <> ''"
        let v2 = "CREATE VIEW named_ids AS SELECT id FROM named"
        let script = try SchemaDiff.script(
            from: Self.schema(Self.users, v1, v2, "CREATE VIEW everyone AS SELECT * FROM users"),
            to: Self.schema("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)", v1, v2))
        #expect(script.steps.map(\.statements.first!) == [
            "DROP VIEW everyone", "DROP VIEW named_ids", "DROP VIEW named",
            "CREATE TABLE sluice_new_users (id INTEGER PRIMARY KEY, name TEXT)",
            v1, v2, "PRAGMA foreign_key_check",
        ])
        #expect(script.losses == [SchemaLoss(kind: .view, name: "everyone")])
        #expect(script.dataLosses.isEmpty)
    }

    @Test("A new table comes with its indexes; a table that goes is a loss of data")
    func createAndDropTables() throws {
        let script = try SchemaDiff.script(
            from: Self.schema(Self.users, "CREATE TABLE old_log (id INTEGER PRIMARY KEY)"),
            to: Self.schema(Self.users, "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT)", "CREATE INDEX ix_audit_at ON audit (at)"))
        #expect(script.steps.flatMap(\.statements) == [
            "DROP TABLE old_log", "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT)", "CREATE INDEX ix_audit_at ON audit (at)",
        ])
        #expect(script.dataLosses == [SchemaLoss(kind: .table, name: "old_log")])
        #expect(script.renameSuggestions == ["--rename old_log=audit"])
    }

    @Test("The tokenizer keeps strings, quoted names and operators whole and drops comments")
    func tokens() {
        let tokens = SQLTokenizer.tokens("SELECT 'it''s', \"a \"\"b\"\"\", [c d], x'00ff', 1.5e-3, a->>'$.x' -- done\n/* more */ || ?1")
        #expect(tokens.map(\.text) == ["SELECT", "'it''s'", ",", "\"a \"\"b\"\"\"", ",", "[c d]", ",", "x'00ff'", ",", "1.5e-3", ",", "a", "->>", "'$.x'", "||", "?1"])
        #expect(tokens[3].name == "a \"b\"")
        #expect(tokens[5].canonical == "\"c d\"")
    }

    @Test("ALTER TABLE … RENAME statements are read and followed to the final names")
    func alterTableRenames() {
        let renames = ["ALTER TABLE users RENAME TO members;", "alter table \"members\" rename column name to full_name",
                       "ALTER TABLE members RENAME full_name TO display_name", "ALTER TABLE members ADD COLUMN x"].compactMap(AlterTableRename.init(sql:))
        #expect(renames == [.table(from: "users", to: "members"), .column(table: "members", from: "name", to: "full_name"),
                            .column(table: "members", from: "full_name", to: "display_name")])
        let followed = AlterTableRename.follow(renames)
        #expect(followed.tables == ["users": "members"])
        #expect(followed.columns == ["users": ["name": "display_name"]])
    }
}
