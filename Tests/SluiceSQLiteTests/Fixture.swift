import Foundation
import SluiceCore
import SluiceTestSupport
@testable import SluiceSQLite

/// A temporary project: a versions directory and a database file, with the real
/// migrator over a real SQLite file.
final class Fixture {
    let directory = TemporaryDirectory()
    var versions: String { directory.url("versions") }
    var database: String { directory.url("app.db") }

    init(_ files: [String: String] = [:]) {
        try! FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
        for (name, text) in files { add(name, text) }
    }

    @discardableResult
    func add(_ name: String, _ text: String) -> String { directory.write("versions/\(name)", text) }

    func graph() throws -> RevisionGraph {
        let loaded = try VersionsDirectory.load(versions)
        precondition(loaded.errors.isEmpty, "\(loaded.errors)")
        return try RevisionGraph(loaded.revisions)
    }

    func migrator() throws -> Migrator {
        let migrator = Migrator(connection: try Connection(path: database, mode: .readWriteCreate), versionTable: VersionTable(), trigger: .cli)
        try migrator.prepareTables()
        return migrator
    }

    /// Plans and applies an upgrade to `target` with a fresh connection.
    func upgrade(_ target: String) throws {
        let graph = try graph()
        let migrator = try migrator()
        let current = try migrator.currentHeads()
        let plan = try graph.upgradePlan(current: current, to: graph.resolve(TargetExpression.parse(target), current: current))
        try migrator.apply(plan)
    }

    /// Plans and applies a downgrade to `target`.
    func downgrade(_ target: String) throws {
        let graph = try graph()
        let migrator = try migrator()
        let current = try migrator.currentHeads()
        let plan = try graph.downgradePlan(current: current, to: graph.resolve(TargetExpression.parse(target), current: current))
        try migrator.apply(plan)
    }

    /// Runs a query on a separate read-only connection.
    func query(_ sql: String) throws -> [[SQLValue]] {
        try Connection(path: database, mode: .readOnly).rows(sql)
    }

    func versionRows() throws -> [String] { try query("SELECT version_num FROM alembic_version ORDER BY 1").compactMap { $0[0].text } }

    func tables() throws -> [String] {
        try query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('alembic_version', 'sluice_history') ORDER BY 1").compactMap { $0[0].text }
    }
}

/// A branching history: a → b → (c1 → d1 | c2) → m (merge of d1 and c2).
enum Histories {
    static let branched: [String: String] = [
        "a_base.sql": RevisionText.make("a", upgrade: "CREATE TABLE a (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE a;"),
        "b.sql": RevisionText.make("b", revises: ["a"], upgrade: "CREATE TABLE b (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE b;"),
        "c1.sql": RevisionText.make("c1", revises: ["b"], extraHeaders: ["Branch Labels: left"], upgrade: "CREATE TABLE c1 (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE c1;"),
        "d1.sql": RevisionText.make("d1", revises: ["c1"], upgrade: "CREATE TABLE d1 (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE d1;"),
        "c2.sql": RevisionText.make("c2", revises: ["b"], extraHeaders: ["Branch Labels: right"], upgrade: "CREATE TABLE c2 (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE c2;"),
    ]
    static let merge = RevisionText.make("m", revises: ["d1", "c2"], message: "merge", upgrade: "", downgrade: nil)
}
