import FoundationEssentials
import Glibc
import Logging
import SluiceCore
import SluiceSchedule
import SluiceSQLite
import SluiceSystemd
import SluiceTime
import Synchronization

/// The daemon's event loop: an actor that waits for inputs, feeds the scheduler state
/// machine and performs its actions (backup, apply, sleep). It runs on the main loop's
/// executor (the process's default one); blocking work is the `QueueKeeper` actor's, on
/// the database worker's thread.
actor DaemonLoop {
    private let service: MigrationService
    private let keeper: QueueKeeper
    private let clock: any DaemonClock
    private let wake: AsyncStream<DaemonInput>.Continuation
    private var settings: DaemonSettings
    private var scheduler: Scheduler
    private var evaluation: QueueEvaluation?
    private var timer: Task<Void, Never>?
    private var windowOpen: OpenInterval?
    private var applying: (id: String, index: Int, total: Int)?
    private var lastFailure: (id: String, reason: String)?
    private var reloadProblem: String?
    /// What the state file says the daemon runs with: set at start and on every reload
    /// that succeeds, kept when one fails.
    private var loadedConfiguration: LoadedConfiguration
    private var backupProblem: String?
    /// The operator's pause (`sluice pause`), kept across restarts; no revision starts
    /// while it lasts.
    private var paused: PauseNote?
    /// The end of an `apply-now` window and whether it overrides blackouts.
    private var applyNow: (until: Date, overridesBlackouts: Bool)?
    /// Where `sluice pause` and friends connect, for the state file; set once serving.
    private var controlSocket: String?
    /// Told when this daemon starts serving the database (at once, or after a takeover),
    /// so the control socket opens then.
    private let nowServing: AsyncStream<Void>.Continuation
    /// The serve lock's holder while this daemon is in standby: it validates and logs what
    /// it sees, but never backs up, applies or writes the state file. `nil` once it serves.
    private var standby: String?
    /// What the graceful-shutdown handler reads and sets from outside the actor.
    private let flags = Mutex((applying: false, stop: false))
    /// The longest single sleep: the wall clock is read again on every wake-up, so a clock
    /// jump or a suspend cannot make the daemon miss or repeat a window.
    static let maximumSleep: Duration = .seconds(300)

    /// - Parameter standby: the serve lock's holder when another daemon serves the
    ///   database, `nil` when this one does.
    init(service: MigrationService, wake: AsyncStream<DaemonInput>.Continuation, standby: String?,
         nowServing: AsyncStream<Void>.Continuation) {
        self.nowServing = nowServing
        self.service = service
        self.keeper = service.keeper
        self.clock = service.clock
        self.wake = wake
        self.standby = standby
        self.settings = service.settings
        self.logger = service.logger
        self.loadedConfiguration = LoadedConfiguration(service.settings, loadedAt: Timestamp.iso8601(service.clock.now))
        self.scheduler = Scheduler(calendar: MaintenanceCalendar(windows: service.settings.configuration.windows,
                                                                 blackouts: service.settings.configuration.blackouts))
    }

    /// The loop's logger; its level follows `[log] level` across reloads.
    private var logger: Logger

    /// Whether a revision is being applied (for the stop handler).
    nonisolated var isApplying: Bool { flags.withLock { $0.applying } }

    /// Asks the loop to end after what it is doing.
    nonisolated func requestStop() {
        flags.withLock { $0.stop = true }
        wake.yield(.tick)
    }

    private var stopRequested: Bool { flags.withLock { $0.stop } }

    private func setApplying(_ value: Bool) { flags.withLock { $0.applying = value } }

    /// The first scan and validation, before `READY=1`.
    func start() async {
        if standby == nil {
            await removeUnfinishedBackups()
            await resumeServing()
        }
        await refresh(trigger: "start")
    }

    /// What serving begins with: the kept pause read back, the control socket opened.
    private func resumeServing() async {
        paused = await keeper.readPause()
        if let paused {
            logger.notice("paused by an operator before the restart; nothing is applied until `sluice resume`",
                          metadata: ["event": "paused", "reason": "\(paused.reason)", "caller.uid": "\(paused.uid)"])
        }
        scheduler.calendar = effectiveCalendar()
        nowServing.yield()
    }

    /// Notes where the control socket listens, for the state file.
    func controlSocketOpened(at path: String) async {
        controlSocket = path
        await publish()
    }

    /// Runs until stop.
    func run(_ inputs: AsyncStream<DaemonInput>) async {
        await handle(.tick(now: clock.now))
        for await input in inputs {
            if stopRequested { break }
            switch input {
            case .heartbeat:
                service.liveness.loopIsAlive()
            case .tick:
                await handle(.tick(now: clock.now))
            case .batch(let batch):
                if batch.rescan {
                    logger.warning("rescanning the versions directory", metadata: ["event": "rescan", "directory.missing": "\(batch.directoryMissing)"])
                }
                for name in batch.changed.sorted() {
                    logger.info("revision file changed", metadata: ["event": "discovered", "file": "\(name)"])
                }
                let failedFiles = scheduler.failedRevisions.filter { id in
                    guard let path = evaluation?.graph[id]?.path else { return true }
                    return batch.rescan || batch.changed.contains(PathText.lastComponent(of: path))
                }
                await refresh(trigger: "change")
                for id in failedFiles.sorted() { await handle(.fileChanged(revision: id)) }
                await handle(.tick(now: clock.now))
            case .databaseChanged:
                await databaseChanged()
            case .reload:
                await reload()
            case .serving(let result):
                await takeOver(result)
            case .control(let call):
                await control(call)
            }
            if stopRequested { break }
        }
        timer?.cancel()
    }

    // MARK: - Scheduler actions

    private func handle(_ event: Scheduler.Event) async {
        // In standby the scheduler is not fed at all: it would ask for backups and applies.
        guard standby == nil else { return await publish() }
        if let applyNow, clock.now >= applyNow.until {
            logger.notice("apply-now window closed", metadata: ["event": "apply-now-closed"])
            self.applyNow = nil
            scheduler.calendar = effectiveCalendar()
        }
        var events = [event]
        while !events.isEmpty, !stopRequested {
            let next = events.removeFirst()
            noteWindow(at: clock.now)
            for action in scheduler.handle(next) {
                guard let followUp = await perform(action) else { continue }
                events.append(followUp)
                // Nothing is applied without its backup: the `.apply` after a failed
                // `.backup` is dropped, and the scheduler retries both later.
                if case .backupFailed = followUp { break }
            }
        }
        await publish()
    }

    private func perform(_ action: Scheduler.Action) async -> Scheduler.Event? {
        switch action {
        case .idle:
            // The next edge after the moment the scheduler decided at, not after now: had
            // an edge passed in between (a clock step, a slow loop), the timer would
            // otherwise aim past it. A moment already gone fires at once and decides again.
            armTimer(until: scheduler.calendar.nextTransition(after: scheduler.now ?? clock.now))
            return nil
        case .sleep(let until):
            if until <= clock.now { return .tick(now: clock.now) }
            armTimer(until: until)
            return nil
        case .stop:
            requestStop()
            return nil
        case .backup(let revisions):
            logger.info("backup started", metadata: ["event": "backup-started", "database": "\(settings.databasePath)",
                                                     "database.bytes": "\(BackupStore.size(of: settings.databasePath))",
                                                     "backup.directory": "\(settings.backupDirectory)", "revisions": "\(revisions.joined(separator: ","))"])
            let result = await keeper.backup(before: revisions)
            switch result {
            case .success(let taken):
                await keeper.noteBackup(duration: taken.duration)
                let milliseconds = taken.duration.components.seconds * 1000 + taken.duration.components.attoseconds / 1_000_000_000_000_000
                var metadata: Logger.Metadata = ["event": "backup-created", "backup.path": "\(taken.path)", "backup.bytes": "\(taken.bytes)",
                                                 "duration.ms": "\(milliseconds)", "revisions": "\(revisions.joined(separator: ","))",
                                                 "backup.method": "\(taken.copy.method.rawValue)"]
                if let stall = taken.copy.predictedStall { metadata["backup.stall.ms"] = "\(QueueKeeper.milliseconds(stall))" }
                if taken.copy.restarts > 0 { metadata["backup.restarts"] = "\(taken.copy.restarts)" }
                logger.notice("backup created", metadata: metadata)
                for old in taken.pruned {
                    logger.info("backup pruned", metadata: ["event": "backup-pruned", "backup.path": "\(old.path)", "backup.bytes": "\(old.bytes)",
                                                            "keep": "\(settings.configuration.backups.keep)"])
                }
                backupProblem = nil
                return nil
            case .failure(let error) where error.held:
                // sluice chose not to copy (no room, or the application would be held
                // too long): nothing is wrong, the apply waits for a later attempt.
                logger.warning("backup held; nothing is applied without one", metadata: ["event": "backup-held", "reason": "\(error.reason)"])
                backupProblem = "held: " + error.reason
                return .backupFailed(now: clock.now)
            case .failure(let error):
                logger.error("backup failed; nothing is applied without one", metadata: ["event": "backup-failed", "error": "\(error)"])
                backupProblem = error.reason
                return .backupFailed(now: clock.now)
            }
        case .apply(let id):
            return await apply(id)
        }
    }

    private func apply(_ id: String) async -> Scheduler.Event {
        let queue = evaluation?.queue.map(\.id) ?? []
        applying = (id, (queue.firstIndex(of: id) ?? 0) + 1, queue.count)
        setApplying(true)
        let revision = evaluation?.graph[id]
        let base: Logger.Metadata = ["revision.id": "\(id)", "revision": "\(id)", "file": "\(revision?.path ?? "")"]
        logger.info("migration started", metadata: base.merging(["event": "migration-started"]) { $1 })
        await publish()
        let outcome = await keeper.apply(id)
        await keeper.noteApply(outcome, at: clock.now)
        setApplying(false)
        applying = nil
        let now = clock.now
        let event: Scheduler.Event
        switch outcome {
        case .applied(let milliseconds):
            logger.notice("revision applied", metadata: base.merging(["event": "applied", "duration.ms": "\(milliseconds)"]) { $1 })
            lastFailure = nil
            event = .applied(revision: id, now: now)
        case .failed(let reason, let line):
            var metadata = base.merging(["event": "failed", "error": "\(reason)"]) { $1 }
            if let line { metadata["line"] = "\(line)" }
            logger.error("revision failed and was rolled back", metadata: metadata)
            lastFailure = (id, reason.split(separator: "\n").first.map(String.init) ?? reason)
            event = .failed(revision: id, now: now)
        case .busy(let reason):
            logger.warning("database busy; retrying within the window", metadata: base.merging(["event": "busy", "error": "\(reason)"]) { $1 })
            event = .busy(revision: id, now: now)
        case .diskFull(let reason):
            logger.error("disk full; the revision was rolled back and is retried later in the window", metadata: base.merging(["event": "disk-full", "error": "\(reason)"]) { $1 })
            event = .diskFull(revision: id, now: now)
        }
        if !stopRequested { await refresh(trigger: "applied") }
        return event
    }

    // MARK: - Queue and state

    private func refresh(trigger: String) async {
        let result = await keeper.refresh()
        // A stop interrupts rehearsals: what they concluded then is not the truth.
        if stopRequested { return }
        if let error = result.error {
            logger.error("cannot read the database", metadata: ["event": "error", "error": "\(error)"])
        }
        logRecovery(result.recovered)
        logMemo(result.memo)
        evaluation = result.current
        ChangeLog.report(from: result.previous, to: result.current.view, logger: logger)
        guard standby == nil else { return await publish() }
        let estimates = Dictionary(result.current.view.queue.map { ($0.revision, $0.upgradeMilliseconds) }, uniquingKeysWith: { first, _ in first })
        let pending = result.current.queue.map { revision in
            PendingRevision(id: revision.id, prerequisites: revision.prerequisites,
                            estimatedDuration: .milliseconds(estimates[revision.id] ?? 0),
                            requiresBackup: revision.transactionMode == .none)
        }
        for action in scheduler.handle(.queueChanged(pending: pending)) {
            if case .sleep(let until) = action, until > clock.now { armTimer(until: until) }
        }
        await publish()
    }

    /// Writes the state file and sends `STATUS=`. Awaited, on the same serial queue as
    /// everything else, so documents reach the file in the order they were made.
    private func publish() async {
        guard let evaluation else { return }
        let status = statusLine()
        // The state file belongs to the daemon that serves the database.
        guard standby == nil else {
            _ = service.notifier.send([.status(status)])
            return
        }
        let next = scheduler.calendar.openings(after: clock.now, count: 1).first
        var document = StateFile.Document(
            pid: getpid(), updatedAt: Timestamp.iso8601(clock.now), summary: status, view: evaluation.view,
            nextWindow: next.map { ScheduleDescription.opening($0) },
            schedule: scheduler.waitingReasons, applying: applying?.id, configurationProblem: reloadProblem,
            backupProblem: backupProblem, configuration: loadedConfiguration)
        document.controlSocket = controlSocket
        document.paused = paused
        document.applyNowUntil = applyNow.map { Timestamp.iso8601($0.until) }
        let now = clock.now
        let window = WindowReading(open: next.map { $0.start <= now } ?? false, nextOpening: next?.start, paused: paused != nil)
        let problems = await keeper.publish(document, window: window, failedRevisions: scheduler.failedRevisions.count)
        if let error = problems.state {
            logger.error("cannot write the state file", metadata: ["event": "error", "error": "\(error)"])
        }
        if let error = problems.metrics {
            logger.error("cannot write the metrics file", metadata: ["event": "error", "error": "\(error)"])
        }
        _ = service.notifier.send([.status(status)])
    }

    /// The one-line summary for `STATUS=` and the state file.
    func statusLine() -> String {
        if let standby { return "standby: \(service.settings.databasePath) is served by \(standby)" }
        if let applying { return "applying \(applying.id) (\(applying.index)/\(applying.total))" }
        if let failure = lastFailure, scheduler.failedRevisions.contains(failure.id) {
            return "held: \(failure.id) failed: \(failure.reason)"
        }
        var line = evaluation?.view.summary ?? "starting"
        if let paused { line = "paused\(paused.reason.isEmpty ? "" : " (\(paused.reason))") · " + line }
        if let backupProblem, evaluation?.queue.isEmpty == false {
            line = backupProblem.hasPrefix("held: ") ? "backup \(backupProblem) · " + line : "backup failed: \(backupProblem) · " + line
        }
        if let applyNow {
            line += " · apply-now window open until \(Timestamp.iso8601(applyNow.until))"
        } else if paused != nil {
            line += " · until `sluice resume`"
        } else if let next = scheduler.calendar.openings(after: clock.now, count: 1).first {
            line += next.start <= clock.now ? " · window \(next.window) open" : " · next window \(ScheduleDescription.opening(next))"
        } else {
            line += " · no window ahead"
        }
        if let reloadProblem { line += " · config not reloaded: \(reloadProblem)" }
        return line
    }

    /// Wakes the loop at `date` (at the latest after `maximumSleep`), in place of any
    /// earlier timer. The one unstructured task in the daemon: a timer must be cancelled
    /// when it is re-armed, which a child of a task group cannot be on its own.
    private func armTimer(until date: Date?) {
        timer?.cancel()
        guard let date else { timer = nil; return }
        let deadline = min(date, clock.now.addingTimeInterval(Double(Self.maximumSleep.components.seconds)))
        let (wake, clock) = (wake, clock)
        timer = Task {
            do {
                try await clock.sleep(until: deadline)
                wake.yield(.tick)
            } catch {}
        }
    }

    private func noteWindow(at now: Date) {
        let open = scheduler.calendar.openInterval(at: now)
        if open?.window != windowOpen?.window || (open == nil) != (windowOpen == nil) {
            if let previous = windowOpen {
                logger.notice("maintenance window closed", metadata: ["event": "window-closed", "window.name": "\(previous.window)"])
            }
            if let open {
                logger.notice("maintenance window opened", metadata: ["event": "window-opened", "window.name": "\(open.window)"])
            }
            windowOpen = open
        }
    }

    // MARK: - Serving

    /// The standby's wait for the serve lock ended: the daemon that served the database
    /// is gone, so this one takes over with a fresh look at the database (the other one
    /// changed it) and applies what its windows allow.
    private func takeOver(_ result: Result<Void, ServeLock.Failure>) async {
        switch result {
        case .failure(let error):
            logger.error("cannot wait for the serve lock; staying in standby", metadata: ["event": "error", "error": "\(error)"])
        case .success:
            logger.notice("serving: the other daemon is gone, this one now serves the database", metadata: [
                "event": "serving", "database": "\(service.settings.databasePath)", "previous.holder": "\(standby ?? "")"])
            standby = nil
            await removeUnfinishedBackups()
            await resumeServing()
            await refresh(trigger: "takeover")
            await handle(.tick(now: clock.now))
        }
    }

    /// Removes backup copies left unfinished by a daemon that was killed while taking one.
    private func removeUnfinishedBackups() async {
        for path in await keeper.removeUnfinishedBackups() {
            logger.warning("removed an unfinished backup left by a daemon that was stopped while taking it", metadata: ["event": "backup-unfinished-removed", "backup.path": "\(path)"])
        }
    }

    // MARK: - Reload

    /// Another process wrote the database. Writes that leave the version rows alone (the
    /// application's) change nothing; when the rows moved, the change is logged and the
    /// queue evaluated again. When revisions were taken away (a manual downgrade, a
    /// restore, a stamp lower), that was someone's deliberate act: the queue is held, so
    /// the daemon does not put them straight back, until a reload releases it.
    private func databaseChanged() async {
        // The daemon's own applies refresh when they end.
        if isApplying { return }
        let read = await keeper.versionRows()
        logRecovery(read.recovered)
        guard let now = read.rows else { return }
        let before = evaluation?.current ?? []
        guard Set(now) != Set(before) else { return }
        var lost = Set<String>()
        var unknown = now
        if let graph = evaluation?.graph {
            lost = graph.ancestors(of: before.filter { graph[$0] != nil }).subtracting(graph.ancestors(of: now.filter { graph[$0] != nil }))
            unknown = now.filter { graph[$0] == nil }
        }
        var metadata: Logger.Metadata = ["event": "external-change", "heads.before": "\(before.isEmpty ? "base" : before.joined(separator: ","))",
                                         "heads.after": "\(now.isEmpty ? "base" : now.joined(separator: ","))"]
        if !lost.isEmpty || !unknown.isEmpty {
            let hold = "the database was changed outside this daemon (from \(before.isEmpty ? "base" : before.joined(separator: ", ")) to \(now.isEmpty ? "base" : now.joined(separator: ", "))); nothing is applied until `systemctl reload sluice` (SIGHUP) releases the queue"
            await keeper.holdExternally(hold)
            metadata["held"] = "true"
            logger.warning("database changed by another process; queue held until reload", metadata: metadata)
        } else {
            logger.notice("database changed by another process", metadata: metadata)
        }
        if !lost.isEmpty { await handle(.unapplied(revisions: lost)) }
        await refresh(trigger: "external-change")
        await handle(.tick(now: clock.now))
    }

    /// Logs what the evaluation did with the validation memo.
    private func logMemo(_ report: ValidationMemo.Report?) {
        let path = ValidationMemo.path(forDatabase: settings.databasePath)
        switch report {
        case .used(let revisions):
            logger.info("validation memo used: \(revisions) pending revision(s) passed before on this schema and were not rehearsed again",
                        metadata: ["event": "memo-used", "memo.path": "\(path)", "revisions": "\(revisions)"])
        case .ignored(let refusal):
            logger.warning("validation memo ignored: \(refusal); every pending revision is rehearsed again",
                           metadata: ["event": "memo-ignored", "memo.path": "\(path)", "reason": "\(refusal)"])
        case .notSaved(let reason):
            logger.warning("validation memo not saved; the next start rehearses again", metadata: ["event": "memo-not-saved", "error": "\(reason)"])
        case nil:
            break
        }
    }

    /// Logs what reading the database had to recover (a dead writer's hot journal).
    private func logRecovery(_ recovered: String?) {
        guard let recovered else { return }
        logger.warning("database recovered after a writer died mid-transaction", metadata: ["event": "hot-journal-recovered", "detail": "\(recovered)"])
    }

    private func reload() async {
        _ = service.notifier.send(NotifyField.reloadingNow())
        if await keeper.releaseExternalHold() {
            logger.notice("queue released after a change made outside the daemon", metadata: ["event": "external-hold-released"])
        }
        // The file and the zones it names are read on the worker thread, not on the loop's.
        let loaded = await keeper.perform { [reader = service.reloadConfiguration] in Result { try reader() } }
        do {
            let fresh = try loaded.get()
            settings.configuration.windows = fresh.configuration.windows
            settings.configuration.blackouts = fresh.configuration.blackouts
            scheduler.calendar = effectiveCalendar()
            reloadProblem = nil
            loadedConfiguration = LoadedConfiguration(settings, loadedAt: Timestamp.iso8601(clock.now))
            if let level = Logger.Level(rawValue: fresh.configuration.log.level.rawValue) { logger.logLevel = level }
            logger.notice("configuration reloaded", metadata: ["event": "reload", "windows": "\(fresh.configuration.windows.map(\.name).joined(separator: ","))"])
        } catch {
            reloadProblem = "\(error)"
            logger.error("configuration not reloaded; keeping the old one", metadata: ["event": "reload-failed", "error": "\(error)"])
        }
        _ = service.notifier.send([.ready, .status(statusLine())])
        // A reload also looks at the database again (after a `sluice restore`, say) and
        // retries at once what was waiting for a busy database, a backup or disk space.
        scheduler.retryNow()
        await refresh(trigger: "reload")
        await handle(.tick(now: clock.now))
    }
}

// MARK: - Control

extension DaemonLoop {
    /// The calendar the scheduler works with: closed while paused, the `apply-now`
    /// window while one is open (the configured blackouts still apply unless it
    /// overrides them), else the configured windows.
    private func effectiveCalendar() -> MaintenanceCalendar {
        let configured = settings.configuration
        if paused != nil { return MaintenanceCalendar(windows: [], blackouts: []) }
        if let applyNow, applyNow.until > clock.now {
            var blackouts = applyNow.overridesBlackouts ? [] : configured.blackouts
            blackouts.append(Blackout(name: "end of apply-now", from: applyNow.until, until: .distantFuture))
            return MaintenanceCalendar(windows: [.alwaysOpen(name: "apply-now")], blackouts: blackouts)
        }
        return MaintenanceCalendar(windows: configured.windows, blackouts: configured.blackouts)
    }

    /// Carries out a command from the control socket, answers it, logs it with the
    /// caller's uid and pid, then lets the scheduler act on the change.
    fileprivate func control(_ call: ControlCall) async {
        guard let request = call.request else { return }
        let now = clock.now
        var reply: ControlReply
        switch request.command {
        case .pause:
            let note = PauseNote(reason: request.reason ?? "", uid: call.peer.uid, pid: call.peer.pid, at: Timestamp.iso8601(now))
            if let problem = await keeper.keepPause(note) {
                reply = ControlReply(ok: false, message: "not paused: \(problem)")
            } else {
                paused = note
                reply = ControlReply(ok: true, message: applying.map { "paused; \($0.id) is being applied and finishes first" }
                                     ?? "paused; nothing is applied until `sluice resume`")
            }
        case .resume:
            if paused == nil {
                reply = ControlReply(ok: true, message: "not paused")
            } else if let problem = await keeper.keepPause(nil) {
                reply = ControlReply(ok: false, message: "still paused: \(problem)")
            } else {
                paused = nil
                reply = ControlReply(ok: true, message: "resumed")
            }
        case .applyNow:
            reply = openApplyNow(request, now: now)
        case .retry:
            reply = await retry(request.revision ?? "")
        }
        scheduler.calendar = effectiveCalendar()
        var metadata: Logger.Metadata = ["event": "control", "command": "\(request.command.rawValue)", "caller.uid": "\(call.peer.uid)",
                                         "caller.pid": "\(call.peer.pid)", "ok": "\(reply.ok)", "result": "\(reply.message)"]
        if let reason = request.reason { metadata["reason"] = "\(reason)" }
        if let revision = request.revision { metadata["revision"] = "\(revision)" }
        if reply.ok {
            logger.notice("control command accepted", metadata: metadata)
        } else {
            logger.warning("control command not carried out", metadata: metadata)
        }
        call.answer(reply)
        await handle(.tick(now: clock.now))
    }

    private func openApplyNow(_ request: ControlRequest, now: Date) -> ControlReply {
        if let paused { return ControlReply(ok: false, message: "paused (\(paused.reason)); `sluice resume` first") }
        let seconds = request.forSeconds ?? 1800
        guard seconds > 0 else { return ControlReply(ok: false, message: "--for must be longer than zero") }
        let override = request.overrideBlackout ?? false
        if !override, let blackout = settings.configuration.blackouts.first(where: { $0.from <= now && now < $0.until }) {
            return ControlReply(ok: false, message: "inside the blackout \(blackout.name ?? "") until \(Timestamp.iso8601(blackout.until)); add --override-blackout to open a window anyway")
        }
        let until = now.addingTimeInterval(Double(seconds))
        applyNow = (until, override)
        return ControlReply(ok: true, message: "apply-now window open until \(Timestamp.iso8601(until))\(override ? ", blackouts overridden" : ""); backups and the fits-the-window rule apply as in any window")
    }

    private func retry(_ name: String) async -> ControlReply {
        let failed = scheduler.failedRevisions
        let matches = failed.filter { $0 == name || $0.hasPrefix(name) }
        guard !name.isEmpty, matches.count == 1, let id = matches.first else {
            let list = failed.isEmpty ? "no revision has failed" : "failed: \(failed.sorted().joined(separator: ", "))"
            return ControlReply(ok: false, message: "\(name.isEmpty ? "which revision?" : "\(name) has not failed (or is ambiguous)"); \(list)")
        }
        await handle(.fileChanged(revision: id))
        return ControlReply(ok: true, message: "retrying \(id)")
    }
}
