import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// The property behind `create --autogenerate`: for random schemas and random changes to
/// them, the generated revision passes sluice's validation, its upgrade (run by the
/// migrator, on a database holding rows) gives exactly the desired schema and keeps the
/// rows of every column both schemas have, and its downgrade gives back the original
/// schema and those rows. Seed and count: `SLUICE_AUTOGEN_SEED`, `SLUICE_AUTOGEN_COUNT`.
@Suite("Autogenerate: random schemas and changes")
struct AutogeneratePropertyTests {
    static let ownTables: Set<String> = ["alembic_version", HistoryTable.name]

    @Test("The generated revision reaches the desired schema, keeps the rows, and its downgrade restores the original")
    func randomSchemas() throws {
        let (seed, count) = SeededRandom.settings(prefix: "SLUICE_AUTOGEN", seed: 20261203, count: 300)
        var random = SeededRandom(seed: seed)
        var failures: [String] = []
        var seen: [String: Int] = [:]
        for index in 0..<count {
            let before = RandomSchema.random(using: &random)
            var after = before
            after.mutate(using: &random)
            do {
                let upgrade = try Self.check(from: before, to: after)
                for (label, marker) in Self.coverageMarkers where upgrade.contains(marker) { seen[label, default: 0] += 1 }
            } catch {
                failures.append("case \(index) of seed \(seed):\n\(error)\n-- before:\n\(before.statements.joined(separator: ";\n"));\n-- after:\n\(after.statements.joined(separator: ";\n"));")
                if failures.count >= 3 { break }
            }
        }
        print("autogenerate property test: seed \(seed), \(count) cases; upgrades with " + seen.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        // The cases must reach every kind of statement the diff writes, or they prove little.
        for (label, _) in Self.coverageMarkers where count >= 200 { #expect(seen[label, default: 0] > 0, "no case produced \(label)") }
    }

    static let coverageMarkers: [(String, String)] = [
        ("add column", "ADD COLUMN"), ("drop column", "DROP COLUMN"), ("rename column", "RENAME COLUMN"),
        ("rename table", "-- rename table"), ("rebuild", "rebuilt, as SQLite"), ("create table", "-- create table"),
        ("drop table", "-- drop table"), ("index", "CREATE INDEX"), ("unique index", "CREATE UNIQUE INDEX"),
        ("view", "CREATE VIEW"), ("trigger", "CREATE TRIGGER"), ("drop view", "DROP VIEW"), ("drop trigger", "DROP TRIGGER"),
    ]

    struct CaseFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs one case; returns the upgrade's SQL.
    static func check(from before: RandomSchema, to after: RandomSchema) throws -> String {
        let database = try Connection.privateScratch()
        for statement in before.statements + before.inserts { try database.execute(statement) }
        let desired = try Connection.privateScratch()
        for statement in after.statements { try desired.execute(statement) }

        let current = try SchemaModel.capture(database, excluding: ownTables)
        let wanted = try SchemaModel.capture(desired, excluding: ownTables)
        let renames = try SchemaRenames(hints: renameHints(from: before, to: after))
        let up = try SchemaDiff.script(from: current, to: wanted, renames: renames)
        let down = try SchemaDiff.script(from: wanted, to: current, renames: renames.inverted(current: current))
        func fail(_ what: String) -> CaseFailure {
            CaseFailure(description: "\(what)\n-- hints: \(renameHints(from: before, to: after))\n-- upgrade:\n\(up.sql)\n-- downgrade:\n\(down.sql)")
        }
        // Changes that undo each other leave the schema as it was: then there is nothing to write.
        guard !up.isEmpty else {
            let same = try SchemaSnapshot.capture(database, excluding: ownTables).differences(from: SchemaSnapshot.capture(desired, excluding: ownTables))
            guard same == ([], []), down.isEmpty else { throw fail("no statements for a changed schema: \(same)") }
            return ""
        }

        // The path `create --autogenerate` takes: parse, then the full validation.
        let base = try RevisionFileParser.parse(Array(RevisionText.make("r0", upgrade: before.statements.joined(separator: ";\n") + ";", downgrade: nil).utf8), path: "r0.sql")
        let text = RevisionText.make("r1", revises: ["r0"], extraHeaders: up.dataLosses.isEmpty ? [] : ["Destructive: allowed"], upgrade: up.sql, downgrade: down.sql)
        let revision = try RevisionFileParser.parse(Array(text.utf8), path: "r1.sql")
        let graph = try RevisionGraph([base, revision])
        let history = try HistorySchema(graph: graph, targets: ["r0"], versionTable: VersionTable())
        let problems = GeneratedRevisionCheck.problems(of: revision, graph: graph, history: history, desired: desired,
                                                      desiredExcluding: ownTables, policy: RevisionPolicy())
        guard problems.isEmpty else { throw fail("validation: \(problems.joined(separator: "; "))") }

        // The upgrade on the database with rows.
        let migrator = Migrator(connection: database, versionTable: VersionTable(), trigger: .cli)
        try migrator.prepareTables()
        try database.execute("INSERT INTO alembic_version (version_num) VALUES ('r0')")
        let originalRows = try rows(of: before, in: database)
        do {
            try migrator.apply(MigrationStep(revision: revision, direction: .upgrade, headsBefore: ["r0"], headsAfter: ["r1"]))
        } catch {
            throw fail("upgrade: \(error)")
        }
        if let left = try? SchemaDiff.script(from: SchemaModel.capture(database, excluding: ownTables), to: wanted), !left.isEmpty {
            throw fail("after the upgrade, still:\n\(left.sql)")
        }
        let snapshotAfter = try SchemaSnapshot.capture(database, excluding: ownTables).differences(from: SchemaSnapshot.capture(desired, excluding: ownTables))
        guard snapshotAfter == ([], []) else { throw fail("after the upgrade the rehearsal's comparison differs: \(snapshotAfter)") }
        try compareRows(originalRows, try rows(of: after, in: database), what: "after the upgrade", fail: fail)

        // And back. A downgrade cannot bring back values the upgrade dropped: it makes the
        // columns again, which a constraint on them may refuse for the rows there (the
        // validation above proved it on the schema alone).
        guard up.dataLosses.isEmpty else { return up.sql }
        do {
            try migrator.apply(MigrationStep(revision: revision, direction: .downgrade, headsBefore: ["r1"], headsAfter: ["r0"]))
        } catch {
            throw fail("downgrade: \(error)")
        }
        if let left = try? SchemaDiff.script(from: SchemaModel.capture(database, excluding: ownTables), to: current), !left.isEmpty {
            throw fail("after the downgrade, still:\n\(left.sql)")
        }
        let original = try Connection.privateScratch()
        for statement in before.statements { try original.execute(statement) }
        let snapshotBack = try SchemaSnapshot.capture(database, excluding: ownTables).differences(from: SchemaSnapshot.capture(original, excluding: ownTables))
        guard snapshotBack == ([], []) else { throw fail("after the downgrade the rehearsal's comparison differs: \(snapshotBack)") }
        let survivors = Set(after.tables.flatMap { table in table.columns.map { "\(table.id).\($0.id)" } })
        try compareRows(originalRows.filter { survivors.contains($0.key) }, try rows(of: before, in: database), what: "after the downgrade", fail: fail)
        return up.sql
    }

    /// `--rename` hints for every table and column whose name changed (known by id).
    static func renameHints(from before: RandomSchema, to after: RandomSchema) -> [String] {
        var hints: [String] = []
        for table in after.tables {
            guard let old = before.table(table.id) else { continue }
            if old.name != table.name { hints.append("\(old.name)=\(table.name)") }
            for column in table.columns {
                if let oldColumn = old.columns.first(where: { $0.id == column.id }), oldColumn.name != column.name {
                    hints.append("\(old.name).\(oldColumn.name)=\(column.name)")
                }
            }
        }
        return hints
    }

    /// Every column's values in key order, by `table id.column id`.
    static func rows(of schema: RandomSchema, in database: Connection) throws -> [String: [SQLValue]] {
        var values: [String: [SQLValue]] = [:]
        for table in schema.tables {
            for column in table.columns {
                values["\(table.id).\(column.id)"] = try database.rows("SELECT \(column.name) FROM \(table.name) ORDER BY \(table.columns[0].name)").map { $0[0] }
            }
        }
        return values
    }

    /// The columns `expected` has must hold the same values in `actual`, up to the type
    /// affinity a changed type applies (`12` and `'12'`, `3` and `3.0` are the same value).
    static func compareRows(_ expected: [String: [SQLValue]], _ actual: [String: [SQLValue]], what: String, fail: (String) -> CaseFailure) throws {
        for (key, values) in expected {
            guard let now = actual[key] else { continue }
            guard now.count == values.count, zip(values, now).allSatisfy(sameValue) else {
                throw fail("\(what), column \(key) holds \(now), not \(values)")
            }
        }
    }

    static func sameValue(_ a: SQLValue, _ b: SQLValue) -> Bool {
        if a == b { return true }
        func number(_ value: SQLValue) -> Double? {
            switch value {
            case .integer(let x): return Double(x)
            case .real(let x): return x
            case .text(let x): return Double(x)
            default: return nil
            }
        }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }
}
