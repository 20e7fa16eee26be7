import SluiceConfig
@testable import SluiceFleet
import Synchronization
import Testing

/// The rollout's order and pace, with plain closures standing in for migrating a member.
@Suite("Rollout order and halting")
struct RolloutTests {
    static func members(_ count: Int) -> [FleetMember] {
        (1...count).map { FleetMember(name: String(format: "t%03d.db", $0), path: String(format: "/fleet/t%03d.db", $0)) }
    }

    /// Records what started, in order, and how many ran at once.
    final class Recorder: Sendable {
        let state = Mutex((started: [String](), running: 0, peak: 0, reported: [String]()))
        func migrate(_ member: FleetMember, failing: Set<String>) -> MemberOutcome {
            state.withLock { state in
                state.started.append(member.name)
                state.running += 1
                state.peak = max(state.peak, state.running)
            }
            // Long enough that a second worker, when there is one, is running meanwhile.
            var spin = 0
            for index in 0..<200_000 { spin &+= index }
            state.withLock { $0.running -= 1 }
            if failing.contains(member.name) { return .failed(reason: "boom \(spin & 0)", revision: "r1") }
            return .migrated(from: [], to: ["r1"], revisions: ["r1"], milliseconds: 1)
        }
    }

    @Test("canaries by count go first, one at a time, then the rest by name")
    func canariesFirst() {
        var settings = RolloutSettings()
        settings.canaries = .count(2)
        settings.parallelism = 1
        let rollout = Rollout(members: Self.members(6), settings: settings, cores: 2)
        let recorder = Recorder()
        let outcomes = rollout.run(migrate: { recorder.migrate($0, failing: []) }, report: { member, _ in recorder.state.withLock { $0.reported.append(member.name) } })
        #expect(recorder.state.withLock { $0.started } == ["t001.db", "t002.db", "t003.db", "t004.db", "t005.db", "t006.db"])
        #expect(outcomes.allSatisfy { $0.outcome.reachedTarget })
        #expect(recorder.state.withLock { $0.reported.count } == 6)
    }

    @Test("canaries by name, with and without the extension; a name that is not a member is only noted")
    func canariesByName() {
        var settings = RolloutSettings()
        settings.canaries = .names(["t005", "t002.db", "nobody"])
        settings.parallelism = 1
        let rollout = Rollout(members: Self.members(5), settings: settings, cores: 2)
        #expect(rollout.canaries.map(\.name) == ["t005.db", "t002.db"])
        #expect(rollout.rest.map(\.name) == ["t001.db", "t003.db", "t004.db"])
        #expect(rollout.absentCanaries == ["nobody"])
    }

    @Test("a failed canary holds every other member")
    func failedCanaryHolds() {
        var settings = RolloutSettings()
        settings.canaries = .count(1)
        settings.maxFailures = 5
        let recorder = Recorder()
        let outcomes = Rollout(members: Self.members(4), settings: settings, cores: 2)
            .run(migrate: { recorder.migrate($0, failing: ["t001.db"]) }, report: { _, _ in })
        #expect(recorder.state.withLock { $0.started } == ["t001.db"])
        #expect(outcomes.dropFirst().allSatisfy { if case .held(let reason) = $0.outcome { reason.contains("canary t001.db") } else { false } })
    }

    @Test("after max_failures failed members nothing more starts; those left are held with the reason")
    func haltsAfterFailures() {
        var settings = RolloutSettings()
        settings.parallelism = 1
        settings.maxFailures = 2
        let recorder = Recorder()
        let outcomes = Rollout(members: Self.members(10), settings: settings, cores: 2)
            .run(migrate: { recorder.migrate($0, failing: ["t003.db", "t006.db"]) }, report: { _, _ in })
        #expect(recorder.state.withLock { $0.started }.count == 6)
        #expect(outcomes.map(\.outcome.kind) == ["migrated", "migrated", "failed", "migrated", "migrated", "failed", "held", "held", "held", "held"])
        if case .held(let reason) = outcomes[9].outcome { #expect(reason.contains("max_failures = 2")) }
    }

    @Test("parallelism bounds the members in flight, and every member is migrated exactly once")
    func boundedParallelism() {
        var settings = RolloutSettings()
        settings.parallelism = 2
        let recorder = Recorder()
        let outcomes = Rollout(members: Self.members(40), settings: settings, cores: 8)
            .run(migrate: { recorder.migrate($0, failing: []) }, report: { _, _ in })
        let started = recorder.state.withLock { $0.started }
        #expect(started.count == 40)
        #expect(Set(started).count == 40)
        #expect(recorder.state.withLock { $0.peak } <= 2)
        #expect(outcomes.count == 40)
        // Left out, parallelism is the number of cores.
        #expect(Rollout(members: Self.members(3), settings: RolloutSettings(), cores: 3).parallelism == 3)
    }

    @Test("when the caller holds (the window closed, a stop), members not started yet are held with its reason; those in flight finish")
    func heldByTheCaller() {
        var settings = RolloutSettings()
        settings.canaries = .count(1)
        settings.parallelism = 2
        let recorder = Recorder()
        let outcomes = Rollout(members: Self.members(20), settings: settings, cores: 2).run(
            migrate: { recorder.migrate($0, failing: []) },
            hold: { recorder.state.withLock { $0.started.count } >= 5 ? "the window closed; the rest wait for the next opening" : nil },
            report: { _, _ in })
        let started = recorder.state.withLock { $0.started }
        #expect(started.count >= 5 && started.count <= 6, "\(started)")
        #expect(outcomes.filter { $0.outcome.reachedTarget }.count == started.count)
        let held = outcomes.filter { if case .held(let reason) = $0.outcome { reason.hasPrefix("the window closed") } else { false } }
        #expect(held.count == 20 - started.count)
    }
}
