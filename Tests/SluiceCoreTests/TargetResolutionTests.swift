import Testing
@testable import SluiceCore

/// Parses `text` and resolves it against `graph` with the database at `current`.
func resolve(_ text: String, in graph: RevisionGraph, current: [String] = []) throws -> [String] {
    try graph.resolve(TargetExpression.parse(text), current: current)
}

/// Expects resolving `text` to fail with `expected`.
func expectResolution(
    _ text: String,
    in graph: RevisionGraph,
    current: [String] = [],
    throws expected: TargetError,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let target = try TargetExpression.parse(text)
    #expect(throws: expected, sourceLocation: sourceLocation) {
        try graph.resolve(target, current: current)
    }
}

/// Expects resolving `text` to fail with a `.walk` error whose text contains `reason`.
func expectWalkError(
    _ text: String,
    in graph: RevisionGraph,
    current: [String] = [],
    reason: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let target = try TargetExpression.parse(text)
    let error = #expect(throws: TargetError.self, sourceLocation: sourceLocation) {
        try graph.resolve(target, current: current)
    }
    guard case .walk(let why)? = error else {
        Issue.record("expected .walk, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(why.contains(reason), "\(why)", sourceLocation: sourceLocation)
}

@Suite("Target resolution: names")
struct TargetNameResolutionTests {
    @Test("Should resolve a full id, a unique prefix and a label", arguments: [
        ("abd456", "abd456"),
        ("abc", "abc123"),
        ("abd", "abd456"),
        ("b", "bcd789"),
    ])
    func names(text: String, expected: String) throws {
        #expect(try resolve(text, in: Fixture.linear()) == [expected])
    }

    @Test("Should resolve a bare branch label to the revision declaring it")
    func label() throws {
        #expect(try resolve("lefty", in: RevisionGraph(Fixture.branched())) == ["left1"])
    }

    @Test("Should refuse an ambiguous prefix, naming every match")
    func ambiguousPrefix() throws {
        let g = try Fixture.linear()
        try expectResolution("ab", in: g, throws: .ambiguousPrefix("ab", ["abc123", "abd456"]))
        let description = TargetError.ambiguousPrefix("ab", ["abc123", "abd456"]).description
        #expect(description.contains("abc123, abd456"))
    }

    @Test("Should refuse a name that matches nothing")
    func unknown() throws {
        try expectResolution("zz9", in: Fixture.linear(), throws: .unknown("zz9"))
        try expectResolution("abc1234", in: Fixture.linear(), throws: .unknown("abc1234"))
    }
}

@Suite("Target resolution: symbols")
struct TargetSymbolResolutionTests {
    @Test("Should resolve `head`, `heads` and `base` on a single line")
    func linear() throws {
        let g = try Fixture.linear()
        #expect(try resolve("head", in: g) == ["bcd789"])
        #expect(try resolve("heads", in: g) == ["bcd789"])
        #expect(try resolve("base", in: g, current: ["bcd789"]) == [])
    }

    @Test("Should refuse `head` when there are two heads, naming both and suggesting merge")
    func headWithTwoHeads() throws {
        let g = try RevisionGraph(Fixture.branched())
        try expectResolution("head", in: g, throws: .multipleHeads(["left2", "right1"], asked: "head"))
        let text = TargetError.multipleHeads(["left2", "right1"], asked: "head").description
        #expect(text.contains("left2, right1"))
        #expect(text.contains("sluice merge"))
        #expect(try resolve("heads", in: g) == ["left2", "right1"])
    }

    @Test("Should refuse `head` in an empty versions directory")
    func headWithoutRevisions() throws {
        try expectWalkError("head", in: RevisionGraph([]), reason: "there are no revisions")
    }

    @Test("Should resolve `label@head` to the head of that branch", arguments: [
        ("lefty@head", "left2"),
        ("righty@head", "right1"),
        ("left1@head", "left2"),
        ("left2@head", "left2"),
    ])
    func branchHead(text: String, expected: String) throws {
        #expect(try resolve(text, in: RevisionGraph(Fixture.branched())) == [expected])
    }

    @Test("Should refuse `label@head` when the branch itself has two heads")
    func branchHeadAmbiguous() throws {
        try expectResolution(
            "root@head", in: RevisionGraph(Fixture.branched()),
            throws: .multipleHeads(["left2", "right1"], asked: "root@head")
        )
    }
}

@Suite("Target resolution: relative steps")
struct RelativeResolutionTests {
    @Test("Should walk `+N` from base and from the current revision", arguments: [
        ("+1", [], "abc123"),
        ("+3", [], "bcd789"),
        ("+1", ["abc123"], "abd456"),
        ("+2", ["abc123"], "bcd789"),
        ("-1", ["bcd789"], "abd456"),
        ("-2", ["bcd789"], "abc123"),
    ] as [(String, [String], String)])
    func relative(text: String, current: [String], expected: String) throws {
        #expect(try resolve(text, in: Fixture.linear(), current: current) == [expected])
    }

    @Test("Should walk `-1` from the first revision down to base")
    func downToBase() throws {
        #expect(try resolve("-1", in: Fixture.linear(), current: ["abc123"]) == [])
        #expect(try resolve("-3", in: Fixture.linear(), current: ["bcd789"]) == [])
    }

    @Test("Should refuse to walk below base")
    func pastBase() throws {
        try expectWalkError("-2", in: Fixture.linear(), current: ["abc123"], reason: "-2 goes below base after 1 step(s) from abc123")
        try expectWalkError("-1", in: Fixture.linear(), current: [], reason: "the database is at base")
    }

    @Test("Should refuse to walk above the head")
    func pastHead() throws {
        try expectWalkError("+2", in: Fixture.linear(), current: ["abd456"], reason: "+2 goes past head bcd789 after 1 step(s)")
    }

    @Test("Should refuse `+1` at a branch point, naming both children")
    func upAtBranchPoint() throws {
        let g = try RevisionGraph(Fixture.branched())
        try expectWalkError("+1", in: g, current: ["root"], reason: "root branches into left1, right1")
        try expectWalkError("root+2", in: g, reason: "root branches into left1, right1")
    }

    @Test("Should refuse `+1` from base when there are several bases")
    func upFromSeveralBases() throws {
        let g = try graph(rev("a1"), rev("b1"))
        try expectWalkError("+1", in: g, current: [], reason: "base branches into a1, b1")
    }

    @Test("Should refuse `-1` at a merge point, naming both parents")
    func downAtMergePoint() throws {
        let g = try Fixture.merged()
        try expectWalkError("-1", in: g, current: ["merge"], reason: "merge is a merge of left2, right1")
        try expectWalkError("head-1", in: g, reason: "merge is a merge of left2, right1")
    }

    @Test("Should walk `head-N` down from the single head", arguments: [
        ("head-1", ["abd456"]),
        ("head-2", ["abc123"]),
        ("head-3", []),
    ] as [(String, [String])])
    func headRelative(text: String, expected: [String]) throws {
        #expect(try resolve(text, in: Fixture.linear()) == expected)
    }

    @Test("Should refuse `head-N` when there are several heads")
    func headRelativeWithTwoHeads() throws {
        try expectResolution("head-1", in: RevisionGraph(Fixture.branched()), throws: .multipleHeads(["left2", "right1"], asked: "head-1"))
    }

    @Test("Should walk `<rev>+N` and `<rev>-N` from the named revision, whatever the database", arguments: [
        ("abc+1", ["abd456"]),
        ("abc123+2", ["bcd789"]),
        ("bcd789-1", ["abd456"]),
        ("bcd-2", ["abc123"]),
        ("bcd-3", []),
    ] as [(String, [String])])
    func revisionRelative(text: String, expected: [String]) throws {
        #expect(try resolve(text, in: Fixture.linear(), current: ["bcd789"]) == expected)
    }

    @Test("Should refuse `<rev>-N` below base and `<rev>+N` from an unknown revision")
    func revisionRelativeErrors() throws {
        try expectWalkError("bcd-4", in: Fixture.linear(), reason: "-4 goes below base after 3 step(s) from bcd789")
        try expectResolution("zzz+1", in: Fixture.linear(), throws: .unknown("zzz"))
    }

    @Test("Should refuse a relative step when the database is at several heads", arguments: ["+1", "-1"])
    func multipleCurrent(text: String) throws {
        let g = try RevisionGraph(Fixture.branched())
        try expectResolution(text, in: g, current: ["left2", "right1"], throws: .multipleCurrent(["left2", "right1"]))
        #expect(TargetError.multipleCurrent(["left2", "right1"]).description.contains("(left2, right1)"))
    }

    @Test(
        "Should walk `label@-N` from the database's current revision on that branch (Alembic)"
    )
    func labelRelativeFromCurrent() throws {
        let g = try graph(rev("a0"), rev("b1", "a0", labels: ["feat"]), rev("c2", "b1"), rev("d3", "c2"))
        #expect(try resolve("feat@-1", in: g, current: ["c2"]) == ["b1"])
        #expect(try resolve("feat@+1", in: g, current: ["c2"]) == ["d3"])
    }
}
