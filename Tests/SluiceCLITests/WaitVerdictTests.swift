@testable import sluice
import SluiceCore
import SluiceDaemon
import SluiceTestSupport
import Testing

/// What `sluice wait` concludes from the graph, the version rows and the daemon's state,
/// case by case, without waiting for anything.
@Suite("sluice wait's verdict")
struct WaitVerdictTests {
    /// a1 ← a2 ← a3.
    private static func graph() throws -> RevisionGraph {
        let texts = [
            RevisionText.make("a1", upgrade: "SELECT 1;", downgrade: "SELECT 1;"),
            RevisionText.make("a2", revises: ["a1"], upgrade: "SELECT 2;", downgrade: "SELECT 2;"),
            RevisionText.make("a3", revises: ["a2"], upgrade: "SELECT 3;", downgrade: "SELECT 3;"),
        ]
        let revisions = try texts.enumerated().map { index, text in try RevisionFileParser.parse(Array(text.utf8), path: "v/\(index).sql") }
        return RevisionGraph.analyze(revisions).graph
    }

    private static func state(rejected: [QueueView.Entry] = [], held: [QueueView.Entry] = [], schedule: [String: String] = [:],
                              applying: String? = nil) -> StateFile.Document {
        var view = QueueView(database: "app.db", versions: "v")
        view.rejected = rejected
        view.held = held
        return StateFile.Document(pid: 1, updatedAt: "", summary: "", view: view, schedule: schedule, applying: applying)
    }

    @Test("every head applied, or a named target or a later one: reached")
    func reached() throws {
        let graph = try Self.graph()
        #expect(try WaitVerdict.judge(target: nil, graph: graph, current: ["a3"], state: nil) == .reached)
        #expect(try WaitVerdict.judge(target: "a2", graph: graph, current: ["a2"], state: nil) == .reached)
        #expect(try WaitVerdict.judge(target: "a2", graph: graph, current: ["a3"], state: nil) == .reached)
        #expect(try WaitVerdict.judge(target: "base", graph: graph, current: [], state: nil) == .reached)
    }

    @Test("behind without a daemon: waiting, naming what is missing")
    func waitingWithoutDaemon() throws {
        let verdict = try WaitVerdict.judge(target: nil, graph: try Self.graph(), current: ["a1"], state: nil)
        #expect(verdict == .waiting("a2, a3 not applied, and no daemon is running (no live state file); waiting for one, or for `sluice upgrade`"))
    }

    @Test("a revision on the way rejected, held or failed: blocked, whichever of them it is")
    func blocked() throws {
        let graph = try Self.graph()
        let rejected = Self.state(rejected: [.init(revision: "a3", file: "v/2.sql", line: 7, reason: "no such table: t")])
        #expect(try WaitVerdict.judge(target: nil, graph: graph, current: ["a1"], state: rejected) == .blocked("a3 was rejected: no such table: t"))
        let held = Self.state(held: [.init(revision: "a2", file: "v/1.sql", reason: "second head")])
        #expect(try WaitVerdict.judge(target: "a2", graph: graph, current: ["a1"], state: held) == .blocked("a2 is held: second head"))
        let failed = Self.state(schedule: ["a2": "failed; held until its file changes", "a3": "held back: ancestor a2 failed"])
        #expect(try WaitVerdict.judge(target: "a3", graph: graph, current: ["a1"], state: failed) == .blocked("a2 failed; held until its file changes"))
        // What is rejected beyond the target does not matter.
        #expect(try WaitVerdict.judge(target: "a2", graph: graph, current: ["a1"], state: rejected) != .blocked("a3 was rejected: no such table: t"))
    }

    @Test("queued, being applied, or outside a window: waiting, with the daemon's reason")
    func waitingOnTheDaemon() throws {
        let graph = try Self.graph()
        let outside = Self.state(schedule: ["a2": "outside maintenance windows; next window Thu 02:00"])
        #expect(try WaitVerdict.judge(target: nil, graph: graph, current: ["a1"], state: outside) == .waiting("a2: outside maintenance windows; next window Thu 02:00"))
        #expect(try WaitVerdict.judge(target: nil, graph: graph, current: ["a1"], state: Self.state(applying: "a2")) == .waiting("a2 is being applied"))
    }

    @Test("a target not in the versions directory yet is waited for; an ambiguous one is an error")
    func unknownAndAmbiguous() throws {
        let graph = try Self.graph()
        #expect(try WaitVerdict.judge(target: "b9", graph: graph, current: ["a3"], state: nil) == .waiting("b9 is not in the versions directory yet"))
        #expect(throws: TargetError.self) { try WaitVerdict.judge(target: "a", graph: graph, current: [], state: nil) }
    }
}
