import Foundation
import SluiceTestSupport
import Testing

/// The commands and options Alembic users type, end to end with the built binary, each
/// with the rows Alembic 1.20.1 leaves on the same graph (the differential test checks
/// the same against Alembic itself on random graphs; these pin the cases users meet).
@Suite("Alembic's commands and answers")
struct AlembicCompatibilityTests {
    /// A versions directory built from `(id, parents, extra headers)`.
    final class Graph {
        let project = CLITests.Project(example: false)

        init(_ revisions: [(String, [String], [String])]) {
            for (id, parents, headers) in revisions {
                let text = RevisionText.make(id, revises: parents, extraHeaders: headers,
                                             upgrade: "CREATE TABLE t_\(id) (id INTEGER);", downgrade: "DROP TABLE t_\(id);")
                try! text.write(toFile: "\(project.versions)/\(id)_r.sql", atomically: true, encoding: .utf8)
            }
        }

        @discardableResult
        func sluice(_ arguments: String...) throws -> SluiceBinary.Result {
            try project.sluice(arguments[0], extra: Array(arguments.dropFirst()))
        }

        var rows: String {
            get throws { try project.sqlite(project.database, "SELECT version_num FROM alembic_version ORDER BY 1") }
        }
    }

    /// Should, as Alembic, replace the row in the target's lineage by the target: after
    /// `upgrade heads` on a merged history, stamping a revision below the merge leaves
    /// that one row, and the history says what the stamp marked as not applied.
    @Test("stamp below a merge leaves one row, as Alembic")
    func stampBelowMerge() throws {
        let graph = Graph([("aa01", [], []), ("bb02", ["aa01"], []), ("cc03", ["aa01"], []), ("dd04", ["bb02", "cc03"], [])])
        #expect(try graph.sluice("upgrade", "heads").status == 0)
        #expect(try graph.rows == "dd04\n")
        let stamp = try graph.sluice("stamp", "bb02")
        #expect(stamp.status == 0, "\(stamp.stderr)")
        #expect(try graph.rows == "bb02\n")
        #expect(stamp.stderr.contains("marks as not applied (no SQL runs): cc03, dd04"))
        let notes = try graph.project.sqlite(graph.project.database, "SELECT revision FROM sluice_history WHERE direction = 'stamp' AND error_text LIKE 'marked not applied%' ORDER BY 1")
        #expect(notes == "cc03\ndd04\n")
        // What the stamp left is what an upgrade continues from: cc03, then the merge.
        let script = try graph.sluice("upgrade", "heads", "--sql")
        #expect(script.stdout.contains("CREATE TABLE t_cc03") && script.stdout.contains("CREATE TABLE t_dd04"))
        #expect(!script.stdout.contains("CREATE TABLE t_bb02") && !script.stdout.contains("CREATE TABLE t_aa01"))
        // check compares the files of applied revisions only: dd04's edit is no longer a
        // change to applied history, bb02's still is.
        for id in ["bb02", "dd04"] {
            let path = "\(graph.project.versions)/\(id)_r.sql"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacing("(id INTEGER)", with: "(id INTEGER, note TEXT)").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let check = try graph.sluice("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("revision bb02 was applied with checksum") || check.stderr.contains("revision bb02 was applied with checksum"))
        #expect(!check.stdout.contains("revision dd04 was applied with checksum") && !check.stderr.contains("revision dd04 was applied with checksum"))
    }

    /// Should take several targets, keep unrelated branches, and with `--purge` start
    /// from an empty table even when it names an unknown revision.
    @Test("stamp A B, base and --purge")
    func stampSeveral() throws {
        let graph = Graph([("aa01", [], []), ("bb02", ["aa01"], []), ("ee05", [], [])])
        #expect(try graph.sluice("stamp", "bb02", "ee05").status == 0)
        #expect(try graph.rows == "bb02\nee05\n")
        #expect(try graph.sluice("stamp", "aa01").status == 0)
        #expect(try graph.rows == "aa01\nee05\n")
        #expect(try graph.sluice("stamp", "base").status == 0)
        #expect(try graph.rows == "")
        _ = try graph.project.sqlite(graph.project.database, "INSERT INTO alembic_version VALUES ('ffff9999')")
        #expect(try graph.sluice("stamp", "bb02").status == 1)
        let purge = try graph.sluice("stamp", "bb02", "--purge")
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stderr.contains("purging ffff9999"))
        #expect(try graph.rows == "bb02\n")
    }

    /// Should refuse, as Alembic does, to downgrade to a revision that is only ever
    /// named in `Depends On`, rather than unapply the revisions that depend on it.
    @Test("downgrade to a revision only depended on is refused")
    func dependencyOnlyTarget() throws {
        let graph = Graph([("aa01", [], []), ("xx01", [], []), ("yy02", ["xx01"], ["Depends On: aa01"])])
        #expect(try graph.sluice("upgrade", "heads").status == 0)
        #expect(try graph.rows == "yy02\n")
        let refused = try graph.sluice("downgrade", "aa01")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Destination aa01 is not a valid downgrade target"))
        #expect(try graph.rows == "yy02\n")
        #expect(try graph.project.sqlite(graph.project.database, "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'") == "3\n")
    }

    /// Should unapply one labelled branch down to base and leave the other.
    @Test("downgrade label@base")
    func labelAtBase() throws {
        let graph = Graph([("aa01", [], ["Branch Labels: left"]), ("bb02", ["aa01"], []), ("cc03", [], []), ("dd04", ["cc03"], [])])
        #expect(try graph.sluice("upgrade", "heads").status == 0)
        #expect(try graph.rows == "bb02\ndd04\n")
        let down = try graph.sluice("downgrade", "left@base")
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try graph.rows == "dd04\n")
        #expect(try graph.project.sqlite(graph.project.database, "SELECT name FROM sqlite_master WHERE name LIKE 't_%' ORDER BY 1") == "t_cc03\nt_dd04\n")
    }

    /// Should accept Alembic's `history -i`, `heads --resolve-dependencies`, and mark an
    /// effective head (one only depended on) in `current` as Alembic does.
    @Test("history -i, heads --resolve-dependencies, current's effective head")
    func reportingOptions() throws {
        let graph = Graph([("aa01", [], []), ("xx01", [], []), ("yy02", ["xx01"], ["Depends On: aa01"])])
        #expect(try graph.sluice("upgrade", "aa01").status == 0)
        let current = try graph.sluice("current")
        #expect(current.stdout == "aa01 (effective head)\n", "\(current.stdout)")
        for flag in ["-i", "--indicate-current"] {
            let history = try graph.sluice("history", flag)
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("<base> -> aa01 (effective head) (current)"))
        }
        let heads = try graph.sluice("heads")
        #expect(heads.stdout.contains("aa01") && heads.stdout.contains("yy02"))
        let resolved = try graph.sluice("heads", "--resolve-dependencies")
        #expect(resolved.status == 0)
        #expect(!resolved.stdout.contains("aa01") && resolved.stdout.contains("yy02"))
    }
}
