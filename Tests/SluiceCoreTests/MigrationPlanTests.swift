import Testing
@testable import SluiceCore

/// One step of a plan reduced to what the tests compare.
struct StepSummary: Equatable, CustomStringConvertible {
    let id: String
    let direction: MigrationDirection
    let before: [String]
    let after: [String]

    init(_ id: String, _ direction: MigrationDirection, _ before: [String], _ after: [String]) {
        self.id = id
        self.direction = direction
        self.before = before
        self.after = after
    }

    var description: String { "\(direction.rawValue) \(id): \(before) -> \(after)" }
}

extension MigrationPlan {
    var summary: [StepSummary] {
        steps.map { StepSummary($0.revision.id, $0.direction, $0.headsBefore, $0.headsAfter) }
    }
}

/// Checks that every step's rows are what `versionHeads(of:)` says for the applied set at
/// that point, and that the steps chain (one step's after is the next one's before).
func expectConsistentRows(
    _ plan: MigrationPlan,
    in graph: RevisionGraph,
    from current: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var applied = try graph.appliedSet(current: current)
    var rows = plan.headsBefore
    #expect(rows == graph.versionHeads(of: applied), sourceLocation: sourceLocation)
    for step in plan.steps {
        #expect(step.headsBefore == rows, "\(step.revision.id)", sourceLocation: sourceLocation)
        if step.direction == .upgrade { applied.insert(step.revision.id) } else { applied.remove(step.revision.id) }
        #expect(step.headsAfter == graph.versionHeads(of: applied), "\(step.revision.id)", sourceLocation: sourceLocation)
        rows = step.headsAfter
    }
    #expect(plan.headsAfter == rows, sourceLocation: sourceLocation)
}

@Suite("Plans: upgrade")
struct UpgradePlanTests {
    @Test("Should upgrade a single line in order, replacing the one row at each step")
    func linear() throws {
        let g = try Fixture.linear()
        let plan = try g.upgradePlan(current: [], to: g.resolve(.head, current: []))
        #expect(plan.summary == [
            StepSummary("abc123", .upgrade, [], ["abc123"]),
            StepSummary("abd456", .upgrade, ["abc123"], ["abd456"]),
            StepSummary("bcd789", .upgrade, ["abd456"], ["bcd789"]),
        ])
        #expect(plan.headsBefore == [])
        #expect(plan.headsAfter == ["bcd789"])
        #expect(plan.steps.allSatisfy { $0.section == $0.revision.upgrade })
        try expectConsistentRows(plan, in: g, from: [])
    }

    @Test("Should start from the current row and run only what is missing")
    func fromCurrent() throws {
        let g = try Fixture.linear()
        let plan = try g.upgradePlan(current: ["abc123"], to: ["bcd789"])
        #expect(plan.summary.map(\.id) == ["abd456", "bcd789"])
        #expect(plan.headsBefore == ["abc123"])
        #expect(plan.steps.first?.headsBefore == ["abc123"])
    }

    @Test("Should upgrade to both heads with `heads`")
    func toHeads() throws {
        let g = try RevisionGraph(Fixture.branched())
        let plan = try g.upgradePlan(current: [], to: g.resolve(.heads, current: []))
        #expect(plan.summary == [
            StepSummary("root", .upgrade, [], ["root"]),
            StepSummary("left1", .upgrade, ["root"], ["left1"]),
            StepSummary("left2", .upgrade, ["left1"], ["left2"]),
            StepSummary("right1", .upgrade, ["left2"], ["left2", "right1"]),
        ])
        #expect(plan.headsAfter == ["left2", "right1"])
        try expectConsistentRows(plan, in: g, from: [])
    }

    @Test("Should insert a second row when the other branch is upgraded afterwards")
    func oneBranchThenTheOther() throws {
        let g = try RevisionGraph(Fixture.branched())
        let first = try g.upgradePlan(current: [], to: ["left2"])
        #expect(first.summary.map(\.id) == ["root", "left1", "left2"])
        #expect(first.headsAfter == ["left2"])
        let second = try g.upgradePlan(current: first.headsAfter, to: ["right1"])
        #expect(second.summary == [StepSummary("right1", .upgrade, ["left2"], ["left2", "right1"])])
    }

    @Test("Should delete the other head's row at a merge")
    func merge() throws {
        let g = try Fixture.merged()
        let plan = try g.upgradePlan(current: ["left2", "right1"], to: ["merge"])
        #expect(plan.summary == [StepSummary("merge", .upgrade, ["left2", "right1"], ["merge"])])
        #expect(plan.headsAfter == ["merge"])
    }

    @Test("Should apply the unapplied side of a merge before the merge")
    func mergeFromOneSide() throws {
        let g = try Fixture.merged()
        let plan = try g.upgradePlan(current: ["left1"], to: ["merge"])
        #expect(plan.summary == [
            StepSummary("left2", .upgrade, ["left1"], ["left2"]),
            StepSummary("right1", .upgrade, ["left2"], ["left2", "right1"]),
            StepSummary("merge", .upgrade, ["left2", "right1"], ["merge"]),
        ])
    }

    @Test("Should apply a dependency first without leaving a separate row for it")
    func dependency() throws {
        let g = try graph(rev("a1"), rev("d1"), rev("c1", "a1", dependsOn: ["d1"]))
        let plan = try g.upgradePlan(current: [], to: ["c1"])
        #expect(plan.summary == [
            StepSummary("a1", .upgrade, [], ["a1"]),
            StepSummary("d1", .upgrade, ["a1"], ["a1", "d1"]),
            StepSummary("c1", .upgrade, ["a1", "d1"], ["c1"]),
        ])
        try expectConsistentRows(plan, in: g, from: [])
    }

    @Test("Should plan nothing when the target is already applied", arguments: [["bcd789"], ["abd456"], ["abc123"]])
    func alreadyApplied(target: [String]) throws {
        let g = try Fixture.linear()
        let plan = try g.upgradePlan(current: ["bcd789"], to: target)
        #expect(plan.isEmpty)
        #expect(plan.headsBefore == ["bcd789"])
        #expect(plan.headsAfter == ["bcd789"])
    }

    @Test("Should refuse a current row that no file declares")
    func unknownCurrent() throws {
        let g = try Fixture.linear()
        #expect(throws: PlanError.unknownCurrent(["ghost"])) {
            try g.upgradePlan(current: ["abc123", "ghost"], to: ["bcd789"])
        }
        #expect(PlanError.unknownCurrent(["ghost"]).description.contains("the database is at ghost"))
    }
}

@Suite("Plans: downgrade")
struct DowngradePlanTests {
    @Test("Should downgrade a single line in reverse order, replacing the row at each step")
    func linear() throws {
        let g = try Fixture.linear()
        let plan = try g.downgradePlan(current: ["bcd789"], to: ["abc123"])
        #expect(plan.summary == [
            StepSummary("bcd789", .downgrade, ["bcd789"], ["abd456"]),
            StepSummary("abd456", .downgrade, ["abd456"], ["abc123"]),
        ])
        #expect(plan.steps.allSatisfy { $0.section == $0.revision.downgrade && $0.section != nil })
    }

    @Test("Should downgrade everything to base, the two branches in reverse graph order")
    func toBase() throws {
        let g = try RevisionGraph(Fixture.branched())
        let plan = try g.downgradePlan(current: ["left2", "right1"], to: g.resolve(.base, current: ["left2", "right1"]))
        #expect(plan.summary == [
            StepSummary("right1", .downgrade, ["left2", "right1"], ["left2"]),
            StepSummary("left2", .downgrade, ["left2"], ["left1"]),
            StepSummary("left1", .downgrade, ["left1"], ["root"]),
            StepSummary("root", .downgrade, ["root"], []),
        ])
        #expect(plan.headsAfter == [])
        try expectConsistentRows(plan, in: g, from: ["left2", "right1"])
    }

    @Test("Should re-insert both parents when a merge is unapplied")
    func unmerge() throws {
        let g = try Fixture.merged()
        let plan = try g.downgradePlan(current: ["merge"], to: ["left2"])
        #expect(plan.summary == [StepSummary("merge", .downgrade, ["merge"], ["left2", "right1"])])
        try expectConsistentRows(plan, in: g, from: ["merge"])
    }

    @Test("Should unmerge and then go down one side only")
    func throughMerge() throws {
        let g = try Fixture.merged()
        let plan = try g.downgradePlan(current: ["merge"], to: ["left1"])
        #expect(plan.summary == [
            StepSummary("merge", .downgrade, ["merge"], ["left2", "right1"]),
            StepSummary("left2", .downgrade, ["left2", "right1"], ["left1", "right1"]),
        ])
    }

    @Test("Should remove only the target's descendants and leave an unrelated branch applied")
    func leavesOtherBranch() throws {
        let g = try RevisionGraph(Fixture.branched())
        let plan = try g.downgradePlan(current: ["left2", "right1"], to: ["left1"])
        #expect(plan.summary == [StepSummary("left2", .downgrade, ["left2", "right1"], ["left1", "right1"])])
        #expect(plan.headsAfter == ["left1", "right1"])
    }

    @Test("Should bring a dependency's row back when its dependent is unapplied")
    func dependency() throws {
        let g = try graph(rev("a1"), rev("d1"), rev("c1", "a1", dependsOn: ["d1"]))
        let plan = try g.downgradePlan(current: ["c1"], to: ["a1"])
        #expect(plan.summary == [StepSummary("c1", .downgrade, ["c1"], ["a1", "d1"])])
        try expectConsistentRows(plan, in: g, from: ["c1"])
    }

    @Test("Should plan nothing when the database is already at the target")
    func alreadyThere() throws {
        let plan = try Fixture.linear().downgradePlan(current: ["abd456"], to: ["abd456"])
        #expect(plan.isEmpty)
        #expect(plan.headsAfter == ["abd456"])
    }

    @Test("Should refuse to downgrade through an irreversible revision, naming it")
    func irreversible() throws {
        let g = try Fixture.linear(middleReversible: false)
        let error = #expect(throws: PlanError.self) { try g.downgradePlan(current: ["bcd789"], to: []) }
        guard case .irreversible(let revisions)? = error else {
            Issue.record("expected .irreversible, got \(String(describing: error))")
            return
        }
        #expect(revisions.map(\.id) == ["abd456"])
        #expect(error?.description.contains("abd456 (versions/abd456_test.sql)") == true)
        #expect(error?.description.contains("irreversible") == true)
        // Above the irreversible revision, downgrading is still possible.
        #expect(try g.downgradePlan(current: ["bcd789"], to: ["abd456"]).summary.map(\.id) == ["bcd789"])
    }

    @Test("Should name every irreversible revision on the way, topmost first")
    func severalIrreversible() throws {
        let g = try graph(rev("a1"), rev("b1", "a1", reversible: false), rev("c1", "b1", reversible: false), rev("d1", "c1"))
        #expect(throws: PlanError.irreversible([g["c1"]!, g["b1"]!])) {
            try g.downgradePlan(current: ["d1"], to: ["a1"])
        }
    }

    @Test("Should refuse a downgrade target that is not applied")
    func notApplied() throws {
        let g = try RevisionGraph(Fixture.branched())
        #expect(throws: PlanError.notApplied("right1")) {
            try g.downgradePlan(current: ["left2"], to: ["right1"])
        }
        #expect(throws: PlanError.notApplied("left2")) {
            try g.downgradePlan(current: ["left1"], to: ["left2"])
        }
        #expect(PlanError.notApplied("right1").description.hasPrefix("right1 is not applied"))
    }

    @Test("Should refuse a current row that no file declares")
    func unknownCurrent() throws {
        let g = try Fixture.linear()
        #expect(throws: PlanError.unknownCurrent(["ghost", "ghost2"])) {
            try g.downgradePlan(current: ["ghost", "abc123", "ghost2"], to: [])
        }
    }
}
