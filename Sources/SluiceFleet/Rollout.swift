import SluiceConfig
import SluiceOS
import Synchronization

/// The order and pace of a rollout across a fleet: the canaries one at a time, then —
/// only if every canary reached the target — the rest, `parallelism` at a time; once
/// `maxFailures` members failed no other member starts, and those left are held with
/// the reason; so are they when the caller's `hold` says so (the window closed, a stop).
/// A member in flight always finishes (its revision commits or rolls back).
///
/// What migrating one member means is the caller's (`MemberMigration` for the command
/// line): this type only decides who goes when, so it is tested with plain closures.
public struct Rollout: Sendable {
    /// Members that go first, one at a time, in this order.
    public let canaries: [FleetMember]
    /// Everyone else, in name order.
    public let rest: [FleetMember]
    /// Members in flight at once after the canaries.
    public let parallelism: Int
    /// Failed members after which nothing more starts.
    public let maxFailures: Int
    /// Canary names that match none of the members (not in this run's selection, or not
    /// in the fleet at all), for a warning.
    public private(set) var absentCanaries: [String] = []

    /// Orders `members` for `settings`; `parallelism` defaults to `cores`, the cores
    /// online unless told.
    public init(members: [FleetMember], settings: RolloutSettings, cores: Int = ThreadGroup.onlineCores) {
        switch settings.canaries {
        case .count(let count):
            canaries = Array(members.prefix(count))
        case .names(let names):
            var chosen: [FleetMember] = []
            var absent: [String] = []
            for name in names {
                let matched = members.filter { $0.matches(name) }
                if matched.isEmpty { absent.append(name) }
                chosen += matched.filter { !chosen.contains($0) }
            }
            canaries = chosen
            absentCanaries = absent
        }
        let canarySet = Set(canaries)
        rest = members.filter { !canarySet.contains($0) }
        parallelism = max(1, settings.parallelism ?? cores)
        maxFailures = settings.maxFailures
    }

    /// Runs the rollout: `migrate` once per member that starts (on up to `parallelism`
    /// threads at once), `report` once per member as it ends, held members included,
    /// never two at a time. Returns every member's outcome, canaries first, then by name.
    /// - Parameter hold: asked before each member starts; a reason (the window closed,
    ///   the daemon is stopping) holds it and every member after it.
    public func run(migrate: @escaping @Sendable (FleetMember) -> MemberOutcome,
                    hold: @escaping @Sendable () -> String? = { nil },
                    report: @escaping @Sendable (FleetMember, MemberOutcome) -> Void) -> [(member: FleetMember, outcome: MemberOutcome)] {
        let shared = Shared()
        let maxFailures = maxFailures
        let finish: @Sendable (FleetMember, MemberOutcome) -> Void = { member, outcome in
            shared.state.withLock { state in
                state.outcomes[member] = outcome
                if case .failed = outcome { state.failures += 1 }
                if state.failures >= maxFailures, state.halt == nil {
                    state.halt = "the rollout halted after \(state.failures) failed member(s) (max_failures = \(maxFailures))"
                }
                report(member, outcome)
            }
        }
        for canary in canaries {
            if let reason = shared.state.withLock({ $0.halt }) ?? hold() {
                finish(canary, .held(reason: reason))
                continue
            }
            let outcome = migrate(canary)
            finish(canary, outcome)
            if !outcome.reachedTarget {
                shared.state.withLock { state in
                    if state.halt == nil { state.halt = "canary \(canary.name) did not reach the target" }
                }
            }
        }
        let rest = rest
        ThreadGroup.run(count: min(parallelism, rest.count), name: "sluice-rollout") { _ in
            while true {
                let next = shared.state.withLock { state -> (FleetMember, String?)? in
                    guard state.next < rest.count else { return nil }
                    defer { state.next += 1 }
                    return (rest[state.next], state.halt)
                }
                guard let (member, halt) = next else { return }
                if let halt = halt ?? hold() {
                    finish(member, .held(reason: halt))
                } else {
                    finish(member, migrate(member))
                }
            }
        }
        let outcomes = shared.state.withLock { $0.outcomes }
        return (canaries + rest).map { ($0, outcomes[$0] ?? .held(reason: "not started")) }
    }

    private struct State {
        var next = 0
        var failures = 0
        var halt: String?
        var outcomes: [FleetMember: MemberOutcome] = [:]
    }

    /// The state the rollout's threads share.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }
}
