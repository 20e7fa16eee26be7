import Foundation
import SluiceCore
import SluiceTestSupport
@testable import SluiceSQLite
import Testing

/// `VersionTablePeek` reads the version rows from the file's pages without SQLite. It may
/// decline anything, but what it answers must be SQLite's own answer. Random databases and
/// states (page sizes, journal modes, UTF-16, auto-vacuum, rows from none to hundreds and
/// ids up to 32 characters, other tables with overflow pages, indexes, row changes and
/// schema changes after the location was taken, `VACUUM`, a journal left beside the file)
/// go through both; and a writer in another process rewrites the rows while it reads.
/// Seed and count: `SLUICE_PEEK_SEED`, `SLUICE_PEEK_COUNT`.
@Suite("VersionTablePeek against SQLite")
struct VersionTablePeekDifferentialTests {
    @Test("On random databases and states, the peek answers SQLite's rows or declines")
    func randomStates() throws {
        let (seed, count) = SeededRandom.settings(prefix: "SLUICE_PEEK", seed: 20261203, count: 300)
        var random = SeededRandom(seed: seed)
        var answered = 0
        var differences: [String] = []
        for index in 0..<count {
            let directory = TemporaryDirectory()
            let path = directory.url("db.sqlite")
            let (location, story) = try Self.randomDatabase(at: path, using: &random)
            let peeked = VersionTablePeek.heads(databasePath: path, at: location)
            let truth = try VersionTable(name: story.table).heads(in: Connection(path: path, mode: .readOnly))
            if let peeked {
                answered += 1
                if peeked != truth { differences.append("case \(index): \(story.steps.joined(separator: "; ")): peek \(peeked), SQLite \(truth)") }
            }
        }
        print("VersionTablePeek: seed \(seed), \(count) databases, \(answered) answered by the peek, \(differences.count) differences")
        #expect(differences.isEmpty, "\(differences.prefix(5).joined(separator: "\n"))")
        #expect(answered > count / 5, "the peek answered only \(answered) of \(count): the generator no longer exercises it")
    }

    struct Story {
        var table: String
        var steps: [String] = []
    }

    /// Builds a random database; returns the location taken through SQLite and what was done.
    static func randomDatabase(at path: String, using random: inout SeededRandom) throws -> (VersionTablePeek.Location, Story) {
        var story = Story(table: Bool.random(using: &random) ? "alembic_version" : "version_\(Int.random(in: 0..<100, using: &random))")
        let table = VersionTable(name: story.table)
        var location: VersionTablePeek.Location?
        do {
            let connection = try Connection(path: path, mode: .readWriteCreate)
            func run(_ sql: String) throws {
                story.steps.append(sql.count > 80 ? String(sql.prefix(80)) + "…" : sql)
                try connection.execute(sql)
            }
            try connection.execute("PRAGMA synchronous = OFF")  // the states matter here, not durability
            try run("PRAGMA page_size = \([512, 1024, 4096, 8192, 65536].randomElement(using: &random)!)")
            if Int.random(in: 0..<8, using: &random) == 0 { try run("PRAGMA encoding = 'UTF-16le'") }
            if Int.random(in: 0..<4, using: &random) == 0 { try run("PRAGMA auto_vacuum = \(["FULL", "INCREMENTAL"].randomElement(using: &random)!)") }
            let mode = ["DELETE", "DELETE", "DELETE", "TRUNCATE", "PERSIST", "WAL"].randomElement(using: &random)!
            try run("PRAGMA journal_mode = \(mode)")
            for other in 0..<Int.random(in: 0...3, using: &random) {
                try run("CREATE TABLE other\(other) (id INTEGER PRIMARY KEY, payload BLOB)")
                try run("INSERT INTO other\(other) (payload) VALUES (randomblob(\(Int.random(in: 1...20_000, using: &random))))")
            }
            try table.create(in: connection)
            story.steps.append("version table \(story.table)")
            if Bool.random(using: &random) { try run("CREATE INDEX other_index ON \(table.quoted) (version_num DESC)") }
            func insertRows() throws {
                let rowCount = [0, 1, 1, 2, 3, 5, 20, 200].randomElement(using: &random)!
                for _ in 0..<rowCount {
                    let length = Int.random(in: 1...32, using: &random)
                    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_ABC")
                    let id = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
                    try connection.run("INSERT OR IGNORE INTO \(table.quoted) (version_num) VALUES (?)", [.text(id)])
                }
                story.steps.append("\(rowCount) rows")
            }
            try insertRows()
            location = try VersionTablePeek.locate(table, in: connection)
            switch Int.random(in: 0..<6, using: &random) {
            case 0:
                try run("DELETE FROM \(table.quoted) WHERE rowid % 2 = 0")
                try insertRows()
            case 1: try run("CREATE TABLE later (x)")
            case 2: try run("VACUUM")
            case 3: try run("UPDATE \(table.quoted) SET version_num = version_num || '_x' WHERE length(version_num) < 30")
            default: break
            }
        }
        if Int.random(in: 0..<10, using: &random) == 0 {
            story.steps.append("a journal file beside it")
            #expect(FileManager.default.createFile(atPath: path + "-journal", contents: Data(repeating: 0, count: 512)))
        }
        return (try #require(location), story)
    }

    @Test("While another process keeps rewriting the rows, every answer is one of the states it commits")
    func concurrentWriter() throws {
        let directory = TemporaryDirectory()
        let path = directory.url("db.sqlite")
        let stateA = ["aaaa", "bbbb"]
        let stateB = ["cccc"]
        var location: VersionTablePeek.Location?
        do {
            let connection = try Connection(path: path, mode: .readWriteCreate)
            try VersionTable().create(in: connection)
            for id in stateA { try connection.run("INSERT INTO alembic_version VALUES (?)", [.text(id)]) }
            location = try VersionTablePeek.locate(VersionTable(), in: connection)
        }
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        writer.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
            for i in range(1000):  # the last, 999, leaves ["aaaa", "bbbb"]
                rows = ["aaaa", "bbbb"] if i % 2 else ["cccc"]
                c.execute("BEGIN IMMEDIATE")
                c.execute("DELETE FROM alembic_version")
                c.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in rows])
                c.execute("COMMIT")
            """, path]
        try writer.run()
        var answers = 0
        var wrong: [[String]] = []
        let at = try #require(location)
        while writer.isRunning {
            if let rows = VersionTablePeek.heads(databasePath: path, at: at) {
                answers += 1
                if rows != stateA && rows != stateB { wrong.append(rows) }
            }
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(wrong.isEmpty, "answers no commit ever left: \(wrong.prefix(5))")
        #expect(VersionTablePeek.heads(databasePath: path, at: at) == stateA)
        print("VersionTablePeek under a writer: \(answers) answers, all committed states")
    }
}
