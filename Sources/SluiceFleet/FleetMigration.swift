import FoundationEssentials
import SluiceCore
import SluiceSQLite
import Synchronization

/// Upgrading or downgrading one member of a fleet to a target, exactly as `sluice
/// upgrade` does a single database — its own lock, its own transaction per revision and
/// history rows, the backup before a `Transaction: none` revision — with one difference:
/// the rehearsal is shared. Members at the same version rows with the same schema
/// fingerprint get the same plan, rehearsed once (on the first of them, with its rows);
/// a member that changed since the survey, or that drifted, is rehearsed on its own.
/// Nothing is printed: each member's outcome is returned.
public final class FleetMigration: Sendable {
    /// Which way, to what.
    public enum Direction: Sendable { case upgrade, downgrade }

    /// How the members are written.
    public struct Settings: Sendable {
        public var versionTable: VersionTable
        public var policy: RevisionPolicy
        public var rehearsalMaxBytes: Int64
        public var copyLimits: CopyLimits
        /// The wait for each member's lock and the application's locks (`--lock-timeout`).
        public var lockTimeout: Duration
        /// `--skip-rehearsal`: apply without rehearsing, recorded in `sluice_history`.
        public var skipRehearsal = false
        /// Where each member's backups go.
        public var backups: @Sendable (FleetMember) -> BackupStore?
        /// Take a backup of each member before its revisions run (the daemon does, as it
        /// does for one database); the command line takes one only before a
        /// `Transaction: none` revision, as `sluice upgrade` does.
        public var backupFirst = false
        /// Who the history rows name: `cli` or `daemon`.
        public var trigger: HistoryRecord.Trigger = .cli

        public init(versionTable: VersionTable, policy: RevisionPolicy, rehearsalMaxBytes: Int64, copyLimits: CopyLimits,
                    lockTimeout: Duration, backups: @escaping @Sendable (FleetMember) -> BackupStore?) {
            self.versionTable = versionTable
            self.policy = policy
            self.rehearsalMaxBytes = rehearsalMaxBytes
            self.copyLimits = copyLimits
            self.lockTimeout = lockTimeout
            self.backups = backups
        }
    }

    /// A rehearsal's conclusion for one (schema, rows, plan).
    enum Verdict: Sendable {
        case passed
        case refused([String], revision: String?)
    }

    private struct Key: Hashable {
        let schema: String
        let rows: [String]
        let steps: [String]
    }

    public let graph: RevisionGraph
    public let direction: Direction
    public let target: String
    public let settings: Settings
    private let verdicts = Mutex<[Key: Verdict]>([:])
    /// How many rehearsals ran, for the report.
    private let rehearsals = Mutex(0)

    /// The plans, once per distinct version rows.
    public let plans: PlanCache

    public init(graph: RevisionGraph, direction: Direction, target: String, settings: Settings) {
        plans = PlanCache(graph: graph, target: target, downward: direction == .downgrade)
        self.graph = graph
        self.direction = direction
        self.target = target
        self.settings = settings
    }

    /// The rehearsals run so far (one per distinct schema, rows and plan, plus members
    /// that changed under the rollout).
    public var rehearsalCount: Int { rehearsals.withLock { $0 } }

    /// Why the rehearsal of what `survey`'s member needs refused it; `nil` when it passed,
    /// was not rehearsed (yet), or the member needs nothing.
    public func refusal(for survey: MemberSurvey) -> String? {
        guard survey.error == nil, let plan = try? plan(from: survey.rows), !plan.isEmpty else { return nil }
        let key = Key(schema: survey.schema, rows: survey.rows, steps: Self.steps(plan))
        guard case .refused(let problems, _)? = verdicts.withLock({ $0[key] }) else { return nil }
        return problems.joined(separator: "\n")
    }

    /// Alembic's plan from `rows` to the target (once per distinct rows).
    public func plan(from rows: [String]) throws(AlembicCommandError) -> MigrationPlan {
        try plans.result(from: rows).get()
    }

    /// Rehearses, once per schema, rows and plan, what the surveyed members need, each
    /// group on its first member by name, read-only. Members that cannot be read or
    /// planned are left to `migrate`, which reports them.
    public func prepare(_ surveys: [MemberSurvey]) {
        guard !settings.skipRehearsal else { return }
        for survey in surveys where survey.error == nil {
            guard let plan = try? plan(from: survey.rows), !plan.isEmpty else { continue }
            let key = Key(schema: survey.schema, rows: survey.rows, steps: Self.steps(plan))
            guard verdicts.withLock({ $0[key] }) == nil,
                  let connection = try? HotJournalRecovery.openReadOnly(survey.member.path).connection else { continue }
            let verdict = rehearse(plan, on: connection)
            verdicts.withLock { $0[key] = verdict }
        }
    }

    /// Migrates one member to the target. Safe to call from several threads at once for
    /// different members.
    public func migrate(_ member: FleetMember) -> MemberOutcome {
        var options = MigrationSession.Options(database: member.path, versionTable: settings.versionTable, trigger: settings.trigger,
                                               policy: settings.policy, backups: settings.backups(member))
        options.createIfMissing = false
        let session: MigrationSession
        guard PathText.exists(member.path) else { return .skipped(reason: "\(member.path) is gone: it left the fleet") }
        do {
            session = try MigrationSession.open(options, budget: settings.lockTimeout)
        } catch let error as DatabaseLock.Held {
            return .skipped(reason: "\(error)")
        } catch let error as DatabaseLock.Failure {
            return .skipped(reason: "\(error)")
        } catch let error as SQLiteError where error.isBusy {
            return .skipped(reason: "\(member.path) is locked by the application past the lock timeout (\(error.message)); nothing was changed")
        } catch let error as SQLiteError where !PathText.exists(member.path) {
            return .skipped(reason: "\(member.path) is gone: it left the fleet (\(error.message))")
        } catch {
            return .failed(reason: "cannot open \(member.path) for writing: \(error)", revision: nil)
        }
        let migrator = session.migrator
        let rows: [String]
        let plan: MigrationPlan
        do {
            rows = try migrator.currentRowsAsStored()
            plan = try self.plan(from: rows)
        } catch {
            return .failed(reason: "\(error)", revision: nil)
        }
        guard !plan.isEmpty else { return .atTarget(plan.headsBefore) }
        let broken = HistoryIntegrity.problems(in: migrator.connection, graph: graph, versionTable: settings.versionTable)
        guard broken.isEmpty else { return .failed(reason: broken.joined(separator: "\n"), revision: nil) }
        if settings.skipRehearsal {
            migrator.lintDestructive = true
            migrator.historyNote = "rehearsal skipped (--skip-rehearsal)"
        } else {
            let key = Key(schema: (try? MemberSurvey.fingerprint(migrator.connection, versionTable: settings.versionTable)) ?? "", rows: rows, steps: Self.steps(plan))
            let known = verdicts.withLock { $0[key] }
            let verdict = known ?? rehearse(plan, on: migrator.connection)
            if known == nil { verdicts.withLock { $0[key] = verdict } }
            if case .refused(let problems, let revision) = verdict {
                return .failed(reason: problems.joined(separator: "\n") + "\nrefused: nothing was applied to \(member.name)", revision: revision)
            }
        }
        if settings.backupFirst, let store = options.backups {
            do {
                _ = try store.take(migrator.connection, before: plan.steps.map(\.revision.id))
            } catch {
                // No room, or a copy that would hold the application too long: this member
                // waits, the rest of the fleet goes on.
                return .skipped(reason: "\(error); nothing is applied without a backup")
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        defer { session.lock.announce(applying: nil) }
        do {
            try migrator.apply(plan) { step, index in
                if index > 0 { migrator.connection.setBusyTimeout(settings.lockTimeout) }
                session.lock.announce(applying: step.revision.id)
            }
        } catch {
            if error.failure.isBusy {
                return .skipped(reason: "\(error) (the application held the database; the revision is not at fault)")
            }
            if error.failure.isDiskFull, error.failure.rolledBack, error.applied.isEmpty {
                // The member's disk is full: it waits for room; the fleet goes on.
                return .skipped(reason: "disk full: \(error) (rolled back; the member waits for room, the revision is not at fault)")
            }
            return .failed(reason: "\(error)", revision: error.failure.revision.id)
        }
        let elapsed = clock.now - start
        return .migrated(from: plan.headsBefore, to: plan.headsAfter, revisions: plan.steps.map(\.revision.id),
                         milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
    }

    private func rehearse(_ plan: MigrationPlan, on connection: Connection) -> Verdict {
        rehearsals.withLock { $0 += 1 }
        var rehearsal = PlanRehearsal(graph: graph, source: connection, versionTable: settings.versionTable,
                                      maxBytes: settings.rehearsalMaxBytes, policy: settings.policy)
        rehearsal.copyLimits = settings.copyLimits
        do {
            let report = try rehearsal.run([plan])
            if report.passed { return .passed }
            let problems = report.failures.map(\.description)
                + report.blocked.map { "\($0.revision.path): \($0.revision.id) was not rehearsed: it needs \($0.by), which failed above" }
            return .refused(problems, revision: report.failures.first?.revision.id ?? report.blocked.first?.revision.id)
        } catch {
            return .refused(["the rehearsal copy could not be made, so nothing was applied: \(error)"], revision: nil)
        }
    }

    private static func steps(_ plan: MigrationPlan) -> [String] {
        plan.steps.map { "\($0.direction.rawValue) \($0.revision.id) \($0.revision.checksum)" }
    }
}
