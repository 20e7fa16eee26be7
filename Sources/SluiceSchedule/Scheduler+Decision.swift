import FoundationEssentials

extension Scheduler {
    /// The policy: what to do given the queue, the outcomes so far and the time of the last
    /// event. `clockIsFresh` is false after events that carry no time; then nothing starts
    /// and a due `.sleep` asks the shell for a tick.
    mutating func decide(clockIsFresh: Bool) -> [Action] {
        let plan = QueuePlan(queue: queue, applied: applied, failed: failedRevisions)
        var reasons = plan.heldReasons
        defer { waitingReasons = reasons }

        if let inFlight = revisionInFlight {
            for revision in plan.eligible {
                reasons[revision.id] = revision.id == inFlight ? "being applied" : "queued behind \(inFlight), which is being applied"
            }
            return []
        }
        guard !plan.eligible.isEmpty else { return [.idle] }
        guard let now else {
            for revision in plan.eligible { reasons[revision.id] = "waiting for the first clock reading" }
            return [.sleep(until: .distantPast)]
        }

        guard let interval = calendar.openInterval(at: now) else {
            let text = closedReason(at: now)
            for revision in plan.eligible { reasons[revision.id] = text }
            return sleepUntilNextTransition(after: now)
        }
        if let pause = retry, !pause.applies(to: interval) { retry = nil }
        if let pause = retry, pause.notBefore > now {
            for revision in plan.eligible { reasons[revision.id] = pause.reason }
            return [.sleep(until: min(pause.notBefore, interval.end))]
        }

        let forecast = plan.run(in: interval, budget: interval.remaining(after: now))
        reasons.merge(forecast.reasons) { _, new in new }
        guard let first = forecast.run.first else { return sleepUntilNextTransition(after: now) }
        guard clockIsFresh else {
            reasons[first.id] = "starting in window \(interval.window)"
            return [.sleep(until: now)]
        }

        var actions: [Action] = []
        if needsBackup(before: first, in: interval) {
            actions.append(.backup(revisions: forecast.run.map(\.id)))
            lastBackup = BackupRecord(opening: interval, untouched: true, revisions: Set(forecast.run.map(\.id)))
        }
        actions.append(.apply(revision: first.id))
        revisionInFlight = first.id
        reasons[first.id] = "being applied"
        for next in forecast.run.dropFirst() { reasons[next.id] = "queued behind \(first.id), which is being applied" }
        return actions
    }

    /// A backup comes first in each opening and before any revision the last backup was
    /// not taken for, and right before a `Transaction: none` revision unless nothing has
    /// changed since the last one.
    private func needsBackup(before revision: PendingRevision, in interval: OpenInterval) -> Bool {
        guard let lastBackup, lastBackup.opening.overlaps(interval), lastBackup.revisions.contains(revision.id) else { return true }
        return revision.requiresBackup && !lastBackup.untouched
    }

    /// Sleep until the calendar's next edge, or wait for events if it has none.
    private func sleepUntilNextTransition(after now: Date) -> [Action] {
        calendar.nextTransition(after: now).map { [.sleep(until: $0)] } ?? [.idle]
    }

    /// "outside maintenance windows; next opens Sat 2027-01-09 02:00 +01:00 (weekend)".
    private func closedReason(at now: Date) -> String {
        guard let next = calendar.openings(after: now, count: 1, includingCurrent: false).first else {
            return "outside maintenance windows; no window opens again"
        }
        return "outside maintenance windows; next opens \(ScheduleText.local(next.start, in: next.timeZone)) (\(next.window))"
    }
}
