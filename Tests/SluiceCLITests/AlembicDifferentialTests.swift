import Foundation
import SluiceSQLite
import SluiceTestSupport
import Testing

/// sluice against the real Alembic 1.20.1 on random graphs (branches, merges, labels,
/// dependencies) and random command sequences (`upgrade`, `downgrade`, `stamp`, relative
/// targets): after every command both must have accepted or both refused it, and the
/// `alembic_version` rows and the application's table must be equal. Each revision's
/// upgrade inserts its id into the table `applied` and its downgrade deletes it, so the
/// table shows which revisions really ran; one run twice fails on the primary key in both.
///
/// `scripts/alembic_differential.py` generates the cases and runs Alembic; this replays
/// them with the built `sluice` binary. `SLUICE_ALEMBIC_SEED` and `SLUICE_ALEMBIC_COUNT`
/// choose the cases (default: seed 20261203, 300 sequences); a failure names the seed and
/// the case, which `--first INDEX --count 1` reproduces alone.
@Suite("sluice and Alembic leave the same rows", .serialized)
struct AlembicDifferentialTests {
    struct Batch: Decodable {
        let seed: String
        let cases: [Case]
    }

    struct Case: Decodable {
        let index: Int
        let revisions: [GeneratedRevision]
        let steps: [Step]
    }

    struct GeneratedRevision: Decodable {
        let id: String
        let parents: [String]
        let depends_on: [String]
        let labels: [String]
        let message: String

        /// The same revision as a sluice file.
        var sluiceText: String {
            var header = ["-- \(message)", "--", "-- Revision ID: \(id)", "-- Revises: \(parents.isEmpty ? "None" : parents.joined(separator: ", "))"]
            if !labels.isEmpty { header.append("-- Branch Labels: \(labels.joined(separator: ", "))") }
            if !depends_on.isEmpty { header.append("-- Depends On: \(depends_on.joined(separator: ", "))") }
            return header.joined(separator: "\n") + """


                -- +upgrade
                INSERT INTO applied (revision) VALUES ('\(id)');

                -- +downgrade
                DELETE FROM applied WHERE revision = '\(id)';

                """
        }
    }

    struct Step: Decodable {
        let argv: [String]
        let ok: Bool
        let error: String?
        let partial: Bool
        /// Set where sluice departs from Alembic on purpose (docs/alembic.md): sluice must refuse.
        let departure: String?
        let rows: [String]
        let applied: [String]
    }

    /// Every case's commands, replayed with sluice and compared with Alembic after each.
    @Test("Random graphs and command sequences: the same rows and revisions run as Alembic")
    func sameAnswersAsAlembic() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["SLUICE_ALEMBIC_SEED"] ?? "20261203"
        let count = Int(environment["SLUICE_ALEMBIC_COUNT"] ?? "") ?? 300
        let first = Int(environment["SLUICE_ALEMBIC_FIRST"] ?? "") ?? 0
        let batch = try Self.alembicRun(seed: seed, count: count, first: first)
        #expect(batch.cases.count == count)

        var differences: [String] = []
        var commands = 0
        var refusedByBoth = 0
        let departures = batch.cases.flatMap(\.steps).filter { $0.departure != nil }.count
        for testCase in batch.cases {
            let (found, ran, refused) = try Self.replay(testCase, seed: seed)
            differences += found
            commands += ran
            refusedByBoth += refused
        }
        print("alembic differential: seed \(seed), \(batch.cases.count) sequences, \(commands) commands (\(refusedByBoth) refused by both, \(departures) of them the documented departure), \(differences.count) difference(s)")
        #expect(commands > count * 3)
        #expect(differences.isEmpty, "\(differences.count) difference(s) from Alembic (seed \(seed)); the first:\n\(differences.prefix(15).joined(separator: "\n\n"))")
    }

    /// Runs the generator and Alembic, returning what Alembic did.
    static func alembicRun(seed: String, count: Int, first: Int) throws -> Batch {
        let python = try AlembicEnvironment.python()
        let scratch = TemporaryDirectory(prefix: "alembic-differential")
        let out = scratch.url("cases.json")
        let result = try SluiceBinary.runProgram(python, [
            AlembicEnvironment.root + "/scripts/alembic_differential.py",
            "--seed", seed, "--count", String(count), "--first", String(first),
            "--work", scratch.url("work"), "--out", out,
        ])
        guard result.status == 0 else {
            throw DifferentialError(message: "alembic_differential.py failed:\n\(result.stderr)")
        }
        return try JSONDecoder().decode(Batch.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// Replays one case with sluice; returns the differences, the commands run and how
    /// many both refused.
    static func replay(_ testCase: Case, seed: String) throws -> ([String], Int, Int) {
        let directory = TemporaryDirectory(prefix: "sluice-differential")
        let versions = directory.url("versions")
        try FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
        for revision in testCase.revisions {
            try revision.sluiceText.write(toFile: "\(versions)/\(revision.id)_rev.sql", atomically: true, encoding: .utf8)
        }
        let database = directory.url("app.db")
        try Connection(path: database, mode: .readWriteCreate).execute("CREATE TABLE applied (revision TEXT PRIMARY KEY)")
        var differences: [String] = []
        var refused = 0
        var done: [String] = []
        for step in testCase.steps {
            let before = try state(database)
            let arguments = [step.argv[0], "--database", database, "--versions", versions] + step.argv.dropFirst()
            let result = try SluiceBinary.run(arguments, in: directory.path)
            let after = try state(database)
            done.append(step.argv.joined(separator: " "))
            var problems: [String] = []
            if (result.status == 0) != step.ok {
                problems.append(step.ok
                    ? "Alembic accepted it, sluice refused (exit \(result.status)): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
                    : "Alembic refused it (\(step.error ?? "")), sluice accepted it")
            }
            if !step.ok { refused += result.status == 0 ? 0 : 1 }
            if after.rows != step.rows { problems.append("alembic_version: Alembic \(step.rows), sluice \(after.rows) (before: \(before.rows))") }
            if after.applied != step.applied { problems.append("revisions run (table applied): Alembic \(step.applied), sluice \(after.applied)") }
            if !problems.isEmpty {
                let graph = testCase.revisions.map { r in
                    "  \(r.id) <- [\(r.parents.joined(separator: ", "))]"
                        + (r.depends_on.isEmpty ? "" : " depends on [\(r.depends_on.joined(separator: ", "))]")
                        + (r.labels.isEmpty ? "" : " labels [\(r.labels.joined(separator: ", "))]")
                }.joined(separator: "\n")
                differences.append("case \(testCase.index) (SLUICE_ALEMBIC_SEED=\(seed) SLUICE_ALEMBIC_FIRST=\(testCase.index) SLUICE_ALEMBIC_COUNT=1), after: \(done.joined(separator: "; "))\n"
                    + problems.map { "  " + $0 }.joined(separator: "\n") + "\n" + graph)
                // The rest of the sequence would start from different states.
                break
            }
        }
        return (differences, done.count, refused)
    }

    /// The version rows and the `applied` table of `database`, as the Python side reads them.
    static func state(_ database: String) throws -> (rows: [String], applied: [String]) {
        let connection = try Connection(path: database, mode: .readOnly)
        let rows = try connection.tableExists("alembic_version")
            ? try connection.rows("SELECT version_num FROM alembic_version").compactMap { $0.first?.text }.sorted()
            : []
        return (rows, try connection.rows("SELECT revision FROM applied").compactMap { $0.first?.text }.sorted())
    }
}

/// The reference run could not be made.
struct DifferentialError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
