import Testing
@testable import SluiceCore

@Suite("Revision graph: shape")
struct RevisionGraphShapeTests {
    /// `r0` branching into `r1a` and `r1b`, merged by `m2`; `z9` an independent base.
    static func diamond() throws -> [Revision] {
        [try rev("r0"), try rev("r1a", "r0"), try rev("r1b", "r0"), try rev("m2", "r1a", "r1b"), try rev("z9")]
    }

    @Test("Should find heads, bases, branch points and merge points")
    func shape() throws {
        let g = try RevisionGraph(Self.diamond())
        #expect(g.order == ["r0", "r1a", "r1b", "m2", "z9"])
        #expect(g.heads == ["m2", "z9"])
        #expect(g.bases == ["r0", "z9"])
        #expect(g.branchPoints == ["r0"])
        #expect(g.mergePoints == ["m2"])
        #expect(g.children["r0"] == ["r1a", "r1b"])
        #expect(g.children["m2"] == nil)
        #expect(g["m2"]?.parents == ["r1a", "r1b"])
        #expect(g["nope"] == nil)
        #expect(!g.isEmpty)
    }

    @Test("Should build an empty graph from no revisions")
    func empty() throws {
        let g = try RevisionGraph([])
        #expect(g.isEmpty)
        #expect(g.heads.isEmpty && g.bases.isEmpty && g.order.isEmpty)
    }

    @Test("Should give analyze and init the same graph when nothing is wrong")
    func analyzeMatchesInit() throws {
        let analysis = RevisionGraph.analyze(try Self.diamond())
        #expect(analysis.problems.isEmpty)
        #expect(analysis.blockedByAncestor.isEmpty)
        #expect(analysis.graph.order == (try RevisionGraph(Self.diamond())).order)
    }

    @Test("Should not count a dependency as a child: the dependency stays a head")
    func dependencyIsNotAChild() throws {
        let g = try graph(rev("a1"), rev("d1"), rev("c1", "a1", dependsOn: ["d1"]))
        #expect(g.heads == ["d1", "c1"])
        #expect(g.dependents["d1"] == ["c1"])
        #expect(g.children["d1"] == nil)
        #expect(g.ancestors(of: ["c1"]) == ["a1", "c1", "d1"])
        #expect(g.descendants(of: ["d1"]) == ["c1", "d1"])
    }

    @Test("Should resolve branch labels to the revision that declares them")
    func labels() throws {
        let g = try RevisionGraph(Fixture.branched())
        #expect(g.labels == ["lefty": "left1", "righty": "right1"])
        #expect(g.labels(of: "left1") == ["lefty"])
    }

    @Test(
        "Should apply a branch label to the descendants of the revision declaring it"
    )
    func labelsOfDescendant() throws {
        let g = try RevisionGraph(Fixture.branched())
        #expect(g.labels(of: "left2") == ["lefty"])
    }
}

@Suite("Revision graph: order")
struct RevisionGraphOrderTests {
    static func revisions() throws -> [Revision] {
        [
            try rev("a0"),
            try rev("c0"),
            try rev("b1", "a0"),
            try rev("b2", "b1", dependsOn: ["c0"]),
            try rev("a9", "c0"),
            try rev("Z5"),
        ]
    }

    @Test("Should put the smallest ready id (byte order) first, parents and dependencies before children")
    func tieBreak() throws {
        let g = try RevisionGraph(Self.revisions())
        // Ready at first: Z5, a0, c0 ("Z" < "a" in byte order). After a0, b1 becomes
        // ready and is smaller than c0; b2 needs c0 too; a9 waits for c0.
        #expect(g.order == ["Z5", "a0", "b1", "c0", "a9", "b2"])
        #expect(g.position["b1"] == 2)
    }

    @Test("Should order parents and dependencies before a smaller id")
    func prerequisitesFirst() throws {
        let g = try graph(rev("a"), rev("z"), rev("b", "z", dependsOn: ["y"]), rev("y"))
        #expect(g.order == ["a", "y", "z", "b"])
    }

    @Test("Should give the same order whatever order the files come in", arguments: 0..<8)
    func shuffled(seed: Int) throws {
        var input = try Self.revisions()
        var generator = SplitMix64(seed: UInt64(seed))
        input.shuffle(using: &generator)
        if seed == 0 { input.reverse() }
        #expect(try RevisionGraph(input).order == ["Z5", "a0", "b1", "c0", "a9", "b2"])
    }

    @Test("Should sort ids into graph order, unknown ids last")
    func sortedIDs() throws {
        let g = try RevisionGraph(Self.revisions())
        #expect(g.sorted(["b2", "unknown", "a0", "Z5"]) == ["Z5", "a0", "b2", "unknown"])
    }
}

@Suite("Revision graph: version rows")
struct VersionHeadsTests {
    @Test("Should keep one row per head of the applied set")
    func branches() throws {
        let g = try RevisionGraph(Fixture.branched())
        #expect(g.versionHeads(of: []) == [])
        #expect(g.versionHeads(of: ["root"]) == ["root"])
        #expect(g.versionHeads(of: ["root", "left1", "left2"]) == ["left2"])
        #expect(g.versionHeads(of: ["root", "left1", "right1"]) == ["left1", "right1"])
    }

    @Test("Should not keep a row for a dependency that an applied revision needs (Alembic)")
    func dependencies() throws {
        let g = try graph(rev("a1"), rev("d1"), rev("c1", "a1", dependsOn: ["d1"]), rev("d2", "d1"))
        #expect(g.versionHeads(of: ["a1", "d1"]) == ["a1", "d1"])
        #expect(g.versionHeads(of: ["a1", "d1", "c1"]) == ["c1"])
        #expect(g.versionHeads(of: ["a1", "d1", "c1", "d2"]) == ["c1", "d2"])
    }
}

@Suite("Revision graph: problems")
struct GraphProblemTests {
    @Test("Should refuse a duplicate id, naming both files")
    func duplicateID() throws {
        let revisions = [
            try rev("dup1", path: "versions/dup1_two.sql"),
            try rev("dup1", path: "versions/dup1_one.sql"),
            try rev("child", "dup1"),
            try rev("ok"),
        ]
        let analysis = RevisionGraph.analyze(revisions)
        #expect(analysis.problems == [.duplicateID(id: "dup1", paths: ["versions/dup1_one.sql", "versions/dup1_two.sql"])])
        #expect(analysis.blockedByAncestor == ["child": "dup1"])
        #expect(analysis.graph.order == ["ok"])
        let description = analysis.problems[0].description
        #expect(description.contains("versions/dup1_one.sql and versions/dup1_two.sql"), "\(description)")
        #expect(description.contains("revision id dup1"))

        let error = #expect(throws: GraphError.self) { try RevisionGraph(revisions) }
        #expect(error?.problems == analysis.problems)
    }

    @Test("Should report a missing parent and block everything behind it")
    func missingParent() throws {
        let revisions = [
            try rev("ok0"),
            try rev("c1", "ghost"),
            try rev("c2", "c1"),
            try rev("c3", "c2"),
            try rev("c4", "ok0", dependsOn: ["c2"]),
        ]
        let analysis = RevisionGraph.analyze(revisions)
        #expect(analysis.problems == [.missingParent(revision: "c1", path: "versions/c1_test.sql", parent: "ghost")])
        #expect(analysis.problems[0].description == "versions/c1_test.sql: revision c1 revises ghost, which no file in the versions directory declares")
        #expect(analysis.blockedByAncestor == ["c2": "c1", "c3": "c1", "c4": "c1"])
        #expect(analysis.graph.order == ["ok0"])
        #expect(analysis.graph.heads == ["ok0"])
    }

    @Test("Should report a missing dependency")
    func missingDependency() throws {
        let analysis = RevisionGraph.analyze([try rev("a1"), try rev("b1", "a1", dependsOn: ["ghost"])])
        #expect(analysis.problems == [.missingDependency(revision: "b1", path: "versions/b1_test.sql", dependency: "ghost")])
        #expect(analysis.problems[0].description.contains("revision b1 depends on ghost"))
        #expect(analysis.graph.order == ["a1"])
    }

    @Test("Should report a cycle through three revisions with all three ids")
    func cycle() throws {
        let revisions = [
            try rev("a0"),
            try rev("x2", "x1"),
            try rev("x3", "x2"),
            try rev("x1", "x3"),
            try rev("y1", "x2"),
        ]
        let analysis = RevisionGraph.analyze(revisions)
        #expect(analysis.problems == [.cycle(
            revisions: ["x1", "x2", "x3"],
            paths: ["versions/x1_test.sql", "versions/x2_test.sql", "versions/x3_test.sql"]
        )])
        let description = analysis.problems[0].description
        #expect(description.contains("x1 -> x2 -> x3 -> x1"), "\(description)")
        #expect(analysis.blockedByAncestor == ["y1": "x1"])
        #expect(analysis.graph.order == ["a0"])
        #expect(throws: GraphError.self) { try RevisionGraph(revisions) }
    }

    @Test("Should report a cycle through a dependency")
    func cycleThroughDependency() throws {
        let analysis = RevisionGraph.analyze([try rev("p1", dependsOn: ["p2"]), try rev("p2", "p1")])
        #expect(analysis.problems.map(\.revisions) == [["p1", "p2"]])
    }

    @Test(
        "Should report each of two independent cycles"
    )
    func twoCycles() throws {
        let analysis = RevisionGraph.analyze([
            try rev("x1", "x2"), try rev("x2", "x1"),
            try rev("y1", "y2"), try rev("y2", "y1"),
        ])
        #expect(analysis.problems.map(\.revisions).sorted { $0[0] < $1[0] } == [["x1", "x2"], ["y1", "y2"]])
        #expect(analysis.blockedByAncestor.isEmpty)
    }

    @Test("Should refuse a branch label declared twice")
    func duplicateLabel() throws {
        let revisions = [try rev("b1", labels: ["feature"]), try rev("a1", labels: ["feature"])]
        let analysis = RevisionGraph.analyze(revisions)
        #expect(analysis.problems == [.duplicateLabel(label: "feature", revisions: ["a1", "b1"])])
        #expect(analysis.problems[0].description == "branch label feature is declared by several revisions: a1, b1")
        #expect(analysis.graph.labels.isEmpty)
        let error = #expect(throws: GraphError.self) { try RevisionGraph(revisions) }
        #expect(error?.description == "branch label feature is declared by several revisions: a1, b1")
    }

    @Test("Should refuse a branch label that is also a revision id")
    func labelIsRevisionID() throws {
        let analysis = RevisionGraph.analyze([try rev("a1", labels: ["b1"]), try rev("b1")])
        #expect(analysis.problems == [.labelIsRevisionID(label: "b1", revision: "a1")])
    }

    @Test("Should list every problem in a stable order")
    func severalProblems() throws {
        let revisions = [
            try rev("m1", "ghost"),
            try rev("d1", path: "versions/d1_a.sql"),
            try rev("d1", path: "versions/d1_b.sql"),
            try rev("k1", dependsOn: ["nowhere"]),
        ]
        let first = RevisionGraph.analyze(revisions).problems
        #expect(first.count == 3)
        #expect(RevisionGraph.analyze(revisions.reversed()).problems == first)
        let error = #expect(throws: GraphError.self) { try RevisionGraph(revisions) }
        #expect(error?.description == first.map(\.description).joined(separator: "\n"))
    }
}

/// A small deterministic generator, so that shuffled inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
