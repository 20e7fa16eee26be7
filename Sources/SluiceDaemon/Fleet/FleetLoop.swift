import FoundationEssentials
import Glibc
import Logging
import SluiceConfig
import SluiceCore
import SluiceFleet
import SluiceOS
import SluiceSchedule
import SluiceSQLite
import SluiceSystemd
import SluiceWatch
import Synchronization

/// What wakes the fleet daemon's loop.
enum FleetInput: Sendable {
    /// Revision files changed.
    case versions(WatchBatch)
    /// Files in the members' directory appeared, changed or left.
    case members(WatchBatch)
    /// A window edge or a timer.
    case tick
    /// SIGHUP: read the windows and the rollout again, and try failed members again.
    case reload
    /// The watchdog's interval passed.
    case heartbeat
    /// A member of the rollout under way ended.
    case memberDone(FleetMember, MemberOutcome)
    /// The rollout under way ended.
    case rolloutDone
}

/// The fleet daemon's state and decisions, on the worker's thread (blocking SQLite reads
/// and rehearsals run there, never on the threads Swift concurrency shares). It keeps
/// where every member stands (surveyed at start, again for the members the directory
/// watch names, and after each rollout), validates what the versions directory holds
/// with one rehearsal per group of members, and starts a rollout — on threads of its own
/// — when a window is open and members are behind. A rollout halted by failed members is
/// not started again until the versions change or a reload asks for it.
actor FleetLoop {
    nonisolated let worker: SingleThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { worker.asUnownedSerialExecutor() }

    private var settings: FleetSettings
    private let logger: Logger
    private let notifier: any NotifySending
    private let liveness: Liveness
    private let clock: any DaemonClock
    private let wake: AsyncStream<FleetInput>.Continuation
    /// The windows and blackouts. Shared with a rollout's threads, which ask it before
    /// each member starts: a reload that closes the window (a blackout from now) stops new
    /// starts in the rollout already running, as a window closing on time does.
    let schedule: Mutex<MaintenanceCalendar>
    private var calendar: MaintenanceCalendar { schedule.withLock { $0 } }
    private let versionTable: VersionTable

    private var graph = RevisionGraph.analyze([]).graph
    private var migration: FleetMigration?
    /// Revision files rejected (parse, graph, permissions): nothing is rolled out.
    private var filesProblem: String?
    /// A rehearsal refused what a group of members needs: nothing is rolled out.
    private var rehearsalProblem: String?
    /// Why nothing may be rolled out now.
    private var held: String? { filesProblem ?? rehearsalProblem }
    /// The rollout's canaries, and whether one of them failed.
    private var canaries = Set<FleetMember>()
    private var canaryMissed = false
    /// When members a rollout skipped (locked, no room for a backup) are tried again.
    private var retryAt: Date?
    /// Members a rollout skipped in this run (a full disk leaves a failed history row):
    /// tried again like pending ones, and not counted as failures.
    private var skippedMembers = Set<FleetMember>()
    /// Whether the failures a previous run left were looked at (once, at the first
    /// rollout decision after start).
    private var startFailuresChecked = false
    /// How long skipped members wait before the next attempt.
    static let retryDelay: TimeInterval = 30
    private var surveys: [FleetMember: MemberSurvey] = [:]
    private var statuses: [MemberStatus] = []
    private var drifted = Set<FleetMember>()
    private var rollout: FleetStateDocument.Rollout?
    private var rolloutMembers: [FleetMember] = []
    /// The heads a rollout halted on; none starts again for them until released.
    private var haltedOn: [String]?
    /// Failed members are tried again by the next rollout (after a reload).
    private var retryFailed = false
    private var timer: Task<Void, Never>?
    private var lastPublish: ContinuousClock.Instant?
    /// Shared with the rollout's threads: whether a stop began.
    let stopping = Mutex(false)

    init(settings: FleetSettings, logger: Logger, notifier: any NotifySending, liveness: Liveness, clock: any DaemonClock,
         worker: SingleThreadExecutor, wake: AsyncStream<FleetInput>.Continuation) {
        self.settings = settings
        self.logger = logger
        self.notifier = notifier
        self.liveness = liveness
        self.clock = clock
        self.worker = worker
        self.wake = wake
        schedule = Mutex(MaintenanceCalendar(windows: settings.configuration.windows, blackouts: settings.configuration.blackouts))
        versionTable = VersionTable(name: settings.configuration.versionTable)
    }

    /// Whether a rollout is under way.
    var isRollingOut: Bool { rollout?.running == true }

    // MARK: - Inputs

    /// The first look: the versions, every member, then what the window allows.
    func start() {
        loadVersions()
        survey(everyone: true)
        validate()
        publish(force: true)
    }

    func handle(_ input: FleetInput) {
        switch input {
        case .heartbeat:
            liveness.loopIsAlive()
            return
        case .versions(let batch):
            for name in batch.changed.sorted() {
                logger.info("revision file changed", metadata: ["event": "discovered", "file": "\(name)"])
            }
            loadVersions()
            refreshStatuses()
            haltedOn = nil
            validate()
        case .members(let batch):
            survey(changed: batch)
            validate()
        case .tick:
            break
        case .reload:
            reload()
        case .memberDone(let member, let outcome):
            noteOutcome(member, outcome)
            publish(force: false)
            return
        case .rolloutDone:
            finishRollout()
        }
        startRolloutIfDue()
        publish(force: true)
        armTimer()
    }

    // MARK: - Looking

    private func loadVersions() {
        let inspector = RevisionFileInspector(strictPermissions: settings.configuration.validation.strictPermissions)
        var revisions: [Revision] = []
        var problems: [String] = []
        for entry in inspector.scan(settings.versionsPath) {
            switch entry.outcome {
            case .revision(let revision): revisions.append(revision)
            case .rejected(let error): problems.append(error.description)
            }
        }
        let analysis = RevisionGraph.analyze(revisions)
        problems += analysis.problems.map(\.description)
        graph = analysis.graph
        for problem in problems {
            logger.warning("revision rejected", metadata: ["event": "rejected", "reason": "\(problem)"])
        }
        filesProblem = problems.isEmpty ? nil : "the versions directory has problems (\(problems.count)); nothing is rolled out until they are fixed: \(problems[0])"
        var migrationSettings = FleetMigration.Settings(configuration: settings.configuration, lockTimeout: QueueKeeper.lockBudget)
        migrationSettings.backupFirst = true
        migrationSettings.trigger = .daemon
        migration = FleetMigration(graph: graph, direction: .upgrade, target: "heads", settings: migrationSettings)
    }

    /// Surveys every member, or only those a batch of the directory watch names.
    private func survey(everyone: Bool = false, changed batch: WatchBatch? = nil) {
        let members: [FleetMember]
        do {
            members = try FleetMembers.list(glob: settings.glob)
        } catch {
            logger.error("cannot list the fleet's directory", metadata: ["event": "error", "directory": "\(settings.directory)", "error": "\(error)"])
            return
        }
        let known = Set(surveys.keys)
        let now = Set(members)
        for gone in known.subtracting(now).sorted() {
            surveys[gone] = nil
            logger.notice("member left the fleet", metadata: ["event": "member-left", "database": "\(gone.path)"])
        }
        let fresh = now.subtracting(known)
        if !everyone {
            for member in fresh.sorted() {
                logger.notice("member joined the fleet", metadata: ["event": "member-joined", "database": "\(member.path)"])
            }
        }
        let toRead = everyone || batch?.rescan == true ? members : members.filter { fresh.contains($0) || batch?.changed.contains($0.name) == true }
        for survey in MemberSurvey.takeAll(toRead, versionTable: versionTable) {
            surveys[survey.member] = survey
        }
        refreshStatuses()
    }

    private func refreshStatuses() {
        let all = surveys.values.sorted { $0.member < $1.member }
        drifted = Set(MemberSurvey.drifted(all))
        let plans = migration?.plans ?? PlanCache(graph: graph, target: "heads")
        statuses = all.map { MemberStatus.of($0, plans: plans) }
    }

    /// Rehearses, once per group, what the members need; a refusal holds the fleet.
    private func validate() {
        guard filesProblem == nil, let migration else { return }
        let current = surveys.values.sorted { $0.member < $1.member }
        let refused = liveness.evaluating {
            migration.prepare(current)
            return current.lazy.compactMap { survey in migration.refusal(for: survey).map { (survey.member, $0) } }.first
        }
        if let (member, refusal) = refused {
            if rehearsalProblem == nil {
                logger.error("revision rejected by its rehearsal", metadata: ["event": "rejected", "database": "\(member.path)", "reason": "\(refusal)"])
            }
            rehearsalProblem = "a rehearsal on \(member.name) refused the plan; nothing is rolled out until the files are fixed: \(refusal)"
        } else {
            rehearsalProblem = nil
        }
    }

    /// Reads the windows, blackouts and rollout again, tells systemd (`RELOADING=1`, then
    /// `READY=1` once done, as `Type=notify` requires), and gives failed members another try.
    private func reload() {
        _ = notifier.send(NotifyField.reloadingNow())
        defer { _ = notifier.send([.ready, .status(statusLine())]) }
        do {
            let fresh = try SluiceConfiguration.load(path: settings.configuration.sourcePath ?? "")
            settings.configuration.windows = fresh.windows
            settings.configuration.blackouts = fresh.blackouts
            settings.configuration.rollout = fresh.rollout
            schedule.withLock { $0 = MaintenanceCalendar(windows: fresh.windows, blackouts: fresh.blackouts) }
            logger.notice("configuration reloaded", metadata: ["event": "reloaded"])
        } catch {
            logger.error("configuration not reloaded; the running one stays", metadata: ["event": "error", "error": "\(error)"])
        }
        haltedOn = nil
        retryFailed = true
        loadVersions()
        survey(everyone: true)
        validate()
    }

    // MARK: - Rolling out

    private func startRolloutIfDue() {
        guard !isRollingOut, held == nil, !stopping.withLock({ $0 }), let migration,
              calendar.openInterval(at: clock.now) != nil else { return }
        if let haltedOn, haltedOn == graph.heads { return }
        let failedBefore = statuses.filter { $0.state == .failed && !skippedMembers.contains($0.member) }
        let firstLook = !startFailuresChecked
        startFailuresChecked = true
        if firstLook, !retryFailed, failedBefore.count >= settings.configuration.rollout.maxFailures {
            // A restart after a halted rollout: the failures are in the members' history.
            haltedOn = graph.heads
            rollout = FleetStateDocument.Rollout(target: graph.heads, members: 0, applied: 0, failed: failedBefore.count, skipped: 0, held: 0,
                                                 startedAt: Timestamp.iso8601(clock.now), running: false,
                                                 halted: "\(failedBefore.count) member(s) failed (\(failedBefore[0].member.name): \(failedBefore[0].reason ?? "")); fix them, then `systemctl reload sluice`")
            return
        }
        // Members skipped last time (locked, a full disk) wait for `retryAt`.
        var retryDue = true
        if let retryAt, retryAt > clock.now { retryDue = false }
        var due: [FleetMember] = []
        for status in statuses {
            let skipped = skippedMembers.contains(status.member)
            guard !skipped || retryDue else { continue }
            if status.state == .pending || (status.state == .failed && (retryFailed || skipped)) { due.append(status.member) }
        }
        guard !due.isEmpty else { return }
        retryFailed = false
        let plan = Rollout(members: due, settings: settings.configuration.rollout)
        rolloutMembers = due
        canaries = Set(plan.canaries)
        canaryMissed = false
        rollout = FleetStateDocument.Rollout(target: graph.heads, members: due.count, applied: 0, failed: 0, skipped: 0, held: 0,
                                             startedAt: Timestamp.iso8601(clock.now), running: true, halted: nil)
        logger.notice("rollout started", metadata: ["event": "rollout-started", "target": "\(graph.heads.joined(separator: ","))",
                                                    "members": "\(due.count)", "canaries": "\(plan.canaries.map(\.name).joined(separator: ","))",
                                                    "parallelism": "\(plan.parallelism)"])
        let (wake, clock, loop) = (wake, clock, self)
        DetachedThread.start(name: "sluice-rollout") {
            _ = plan.run(migrate: migration.migrate, hold: {
                if loop.stopping.withLock({ $0 }) { return "the daemon is stopping; the rest wait for the next start" }
                if loop.schedule.withLock({ $0.openInterval(at: clock.now) }) == nil { return "the window closed; the rest wait for the next opening" }
                return nil
            }, report: { member, outcome in wake.yield(.memberDone(member, outcome)) })
            wake.yield(.rolloutDone)
        }
    }

    private func noteOutcome(_ member: FleetMember, _ outcome: MemberOutcome) {
        guard var progress = rollout else { return }
        if canaries.contains(member), case .failed = outcome { canaryMissed = true }
        var metadata: Logger.Metadata = ["database": "\(member.path)", "member": "\(member.name)"]
        switch outcome {
        case .migrated(let from, let to, let revisions, let milliseconds):
            progress.applied += 1
            skippedMembers.remove(member)
            metadata.merge(["event": "member-migrated", "heads.before": "\(from.joined(separator: ","))", "heads.after": "\(to.joined(separator: ","))",
                            "revisions": "\(revisions.joined(separator: ","))", "duration.ms": "\(milliseconds)"]) { $1 }
            logger.notice("member migrated", metadata: metadata)
        case .atTarget:
            progress.applied += 1
        case .failed(let reason, let revision):
            progress.failed += 1
            metadata.merge(["event": "member-failed", "error": "\(reason)"]) { $1 }
            if let revision { metadata["revision.id"] = "\(revision)" }
            logger.error("member failed; its revision was rolled back", metadata: metadata)
        case .skipped(let reason):
            progress.skipped += 1
            skippedMembers.insert(member)
            metadata.merge(["event": "member-skipped", "reason": "\(reason)"]) { $1 }
            logger.warning("member skipped", metadata: metadata)
        case .held(let reason):
            progress.held += 1
            progress.halted = progress.halted ?? reason
        }
        rollout = progress
    }

    private func finishRollout() {
        guard var progress = rollout else { return }
        progress.running = false
        if progress.failed >= settings.configuration.rollout.maxFailures || canaryMissed {
            haltedOn = progress.target
            progress.halted = progress.halted ?? "\(progress.failed) member(s) failed"
        }
        rollout = progress
        if haltedOn == nil, progress.skipped + progress.held > 0 {
            retryAt = clock.now.addingTimeInterval(Self.retryDelay)
        }
        logger.notice("rollout finished", metadata: ["event": "rollout-finished", "target": "\(progress.target.joined(separator: ","))",
                                                     "members": "\(progress.members)", "applied": "\(progress.applied)", "failed": "\(progress.failed)",
                                                     "skipped": "\(progress.skipped)", "held": "\(progress.held)", "halted": "\(progress.halted ?? "")"])
        for survey in MemberSurvey.takeAll(rolloutMembers.filter { PathText.exists($0.path) }, versionTable: versionTable) {
            surveys[survey.member] = survey
        }
        rolloutMembers = []
        refreshStatuses()
    }

    // MARK: - Telling

    /// `STATUS=` and the state file; during a rollout at most once a second.
    private func publish(force: Bool) {
        let now = ContinuousClock.now
        if !force, let lastPublish, now - lastPublish < .seconds(1) { return }
        lastPublish = now
        let line = statusLine()
        let next = calendar.openings(after: clock.now, count: 1).first
        let behind = statuses.filter { $0.state != .atHead || drifted.contains($0.member) }.map { status in
            FleetStateDocument.Member(name: status.member.name, state: status.state.rawValue, current: status.current, pending: status.pending.count,
                                      next: status.pending.first, reason: status.reason, drifted: drifted.contains(status.member))
        }
        let count = { (state: MemberStatus.State) in self.statuses.filter { $0.state == state }.count }
        let document = FleetStateDocument(pid: getpid(), updatedAt: Timestamp.iso8601(clock.now), summary: line, databases: settings.glob,
                                          heads: graph.heads, members: statuses.count, atHead: count(.atHead), pending: count(.pending),
                                          failed: count(.failed), unreadable: count(.unreadable), drifted: drifted.count, behind: behind,
                                          rollout: rollout, nextWindow: next.map { ScheduleDescription.opening($0) }, held: held)
        do { try FleetStateDocument.write(document, to: settings.stateFilePath) } catch {
            logger.error("cannot write the state file", metadata: ["event": "error", "error": "\(error)"])
        }
        _ = notifier.send([.status(line)])
    }

    /// `rollout r2: 340/1000 applied, 0 failed` while one runs, else the fleet's totals.
    func statusLine() -> String {
        let target = graph.heads.isEmpty ? "base" : graph.heads.joined(separator: ",")
        if let rollout, rollout.running {
            return "rollout \(target): \(rollout.applied)/\(rollout.members) applied, \(rollout.failed) failed"
        }
        let atHead = statuses.filter { $0.state == .atHead }.count
        var line = "fleet: \(atHead)/\(statuses.count) at \(target)"
        let failed = statuses.filter { $0.state == .failed }.count
        if failed > 0 { line += ", \(failed) failed" }
        if !drifted.isEmpty { line += ", \(drifted.count) drifted" }
        if let held { return line + " · held: \(held)" }
        if let rollout, let halted = rollout.halted, haltedOn != nil { return line + " · rollout halted: \(halted)" }
        if atHead < statuses.count, let next = calendar.openings(after: clock.now, count: 1).first {
            line += next.start <= clock.now ? " · window \(next.window) open" : " · next window \(ScheduleDescription.opening(next))"
        }
        return line
    }

    /// Wakes the loop at the next window edge, or when skipped members are due again;
    /// nothing else is timed.
    private func armTimer() {
        timer?.cancel()
        if let due = retryAt, due <= clock.now { retryAt = nil }
        let edges = [calendar.nextTransition(after: clock.now), retryAt].compactMap { $0 }
        guard let edge = edges.min() else { timer = nil; return }
        let (wake, clock) = (wake, clock)
        timer = Task {
            do {
                try await clock.sleep(until: min(edge, clock.now.addingTimeInterval(6 * 3600)))
                wake.yield(.tick)
            } catch {}
        }
    }

    /// Stops starting members; the rollout's threads see it before each start.
    nonisolated func requestStop() { stopping.withLock { $0 = true } }

    /// Cancels the window timer.
    func shutDown() { timer?.cancel() }
}

