import SluiceConfig
import SluiceCore
import SluiceDaemon
import SluiceFleet
import SluiceSQLite

/// `upgrade --all` and `downgrade --all` (or `--database GLOB`): every member taken to the
/// target, as `[rollout]` orders it (canaries one at a time, then `parallelism` at once,
/// halting after `max_failures`), each exactly as a single database, with one rehearsal
/// per distinct schema. One line per member as it ends, then the totals; exit 1 unless
/// every member reached the target.
struct FleetMigrationRun {
    let scope: FleetScope
    let direction: MigrationDirection
    let target: String
    let lockTimeout: String
    let skipRehearsal: Bool
    var json = false

    func run() throws {
        guard let timeout = DurationText.parse(lockTimeout) else {
            throw CLIError.usage("--lock-timeout \(lockTimeout): not a duration; write e.g. 30s or 2m")
        }
        let configuration = scope.configuration
        let versionTable = VersionTable(name: configuration.versionTable)
        let graph = try scope.graph()
        var settings = FleetMigration.Settings(configuration: configuration, lockTimeout: timeout)
        settings.skipRehearsal = skipRehearsal
        let migration = FleetMigration(graph: graph, direction: direction == .upgrade ? .upgrade : .downgrade, target: target, settings: settings)
        let rollout = Rollout(members: scope.members, settings: configuration.rollout)
        if !rollout.absentCanaries.isEmpty {
            Output.error("note: [rollout] canaries \(rollout.absentCanaries.joined(separator: ", ")) name no member this run takes; the other canaries go first")
        }
        if skipRehearsal {
            Output.error("warning: the rehearsal is skipped (--skip-rehearsal) on every member: destructive changes are still refused, inside each transaction; sluice_history records the skip")
        }
        let surveys = MemberSurvey.takeAll(scope.members, versionTable: versionTable, threads: rollout.parallelism)
        try refuseUnsafeFiles(surveys, migration: migration)
        migration.prepare(surveys)
        let drifted = Set(MemberSurvey.drifted(surveys))
        let verb = direction == .upgrade ? "upgraded" : "downgraded"
        let json = json
        let outcomes = rollout.run(migrate: migration.migrate) { member, outcome in
            guard !json else { return }
            print(Self.line(member, outcome, verb: verb, drifted: drifted.contains(member)))
        }
        let count = { (kind: String) in outcomes.filter { $0.outcome.kind == kind }.count }
        let summary = RolloutReport.Summary(members: outcomes.count, migrated: count("migrated"), atTarget: count("at-target"),
                                            failed: count("failed"), skipped: count("skipped"), held: count("held"),
                                            rehearsals: migration.rehearsalCount)
        if json {
            try Output.json(RolloutReport(direction: direction.rawValue, target: target, databases: scope.glob,
                                          members: outcomes.map { .init($0.member, $0.outcome, drifted: drifted.contains($0.member)) },
                                          summary: summary, drifted: drifted.map(\.name).sorted()))
        } else {
            print("\(direction.rawValue) to \(target): \(summary.migrated + summary.atTarget)/\(summary.members) at the target (\(summary.migrated) \(verb), \(summary.atTarget) already there), \(summary.failed) failed, \(summary.skipped) skipped, \(summary.held) held; \(summary.rehearsals) rehearsal(s)\(drifted.isEmpty ? "" : "; drifted: \(drifted.map(\.name).sorted().joined(separator: ", "))")")
        }
        if summary.failed + summary.skipped + summary.held > 0 {
            throw CLIError.failed("the rollout did not reach \(target) on every member: \(summary.failed) failed, \(summary.skipped) skipped, \(summary.held) held; run it again once the cause is fixed: members already there are left alone")
        }
    }

    /// The line printed for one member.
    static func line(_ member: FleetMember, _ outcome: MemberOutcome, verb: String, drifted: Bool) -> String {
        let name = member.name + (drifted ? " (drifted)" : "")
        func rows(_ rows: [String]) -> String { rows.isEmpty ? "base" : rows.joined(separator: ",") }
        switch outcome {
        case .migrated(let from, let to, let revisions, let milliseconds):
            return "\(name): \(verb) \(rows(from)) -> \(rows(to)) (\(revisions.count) revision(s), \(milliseconds) ms)"
        case .atTarget(let current):
            return "\(name): already at \(rows(current))"
        case .failed(let reason, _):
            return "\(name): FAILED: " + reason.replacing("\n", with: "\n    ")
        case .skipped(let reason):
            return "\(name): skipped: \(reason)"
        case .held(let reason):
            return "\(name): held: \(reason)"
        }
    }

    /// Refuses, before any member is touched, files of the members' plans that
    /// `strict_permissions` forbids, as `upgrade` and the daemon do.
    private func refuseUnsafeFiles(_ surveys: [MemberSurvey], migration: FleetMigration) throws {
        guard scope.configuration.validation.strictPermissions else { return }
        var paths = Set<String>()
        for survey in surveys where survey.error == nil {
            guard let plan = try? migration.plan(from: survey.rows) else { continue }
            paths.formUnion(plan.steps.map(\.revision.path))
        }
        let inspector = RevisionFileInspector(strictPermissions: true)
        let problems = paths.sorted().compactMap { path -> String? in
            guard case .rejected(let error)? = inspector.inspect(path) else { return nil }
            return error.description
        }
        guard problems.isEmpty else {
            throw CLIError.failed(problems.joined(separator: "\n") + "\nrefused: nothing was applied to any member")
        }
    }
}
