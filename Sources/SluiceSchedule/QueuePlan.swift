import FoundationEssentials

/// The queue sorted into what may run and what is held, independent of the time.
///
/// A failed revision holds its descendants (through prerequisites, transitively) and nothing
/// else, so unrelated branches keep going while an operator fixes the failing file.
struct QueuePlan: Sendable {
    /// Revisions not applied and not held, in graph order: they run when a window allows.
    let eligible: [PendingRevision]
    /// Why each held revision is held.
    let heldReasons: [String: String]
    /// What is already applied; a prerequisite in it is satisfied.
    let applied: Set<String>
    /// The ids of queued revisions not yet applied: a prerequisite among them must run first.
    let outstanding: Set<String>

    /// Sorts `queue` given what is applied and what failed.
    init(queue: [PendingRevision], applied: Set<String>, failed: Set<String>) {
        let waiting = queue.filter { !applied.contains($0.id) }
        let byID = Dictionary(waiting.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var memo: [String: String?] = [:]

        /// The failed revision `id` descends from, if any (`id` itself excluded).
        func failedAncestor(of id: String, visiting: Set<String>) -> String? {
            if let known = memo[id] { return known }
            var found: String?
            for prerequisite in byID[id]?.prerequisites ?? [] where !applied.contains(prerequisite) {
                if failed.contains(prerequisite) { found = prerequisite; break }
                if !visiting.contains(prerequisite),
                   let inherited = failedAncestor(of: prerequisite, visiting: visiting.union([id])) {
                    found = inherited
                    break
                }
            }
            memo[id] = found
            return found
        }

        var eligible: [PendingRevision] = []
        var held: [String: String] = [:]
        for revision in waiting {
            if failed.contains(revision.id) {
                held[revision.id] = "failed; held until its file changes"
            } else if let ancestor = failedAncestor(of: revision.id, visiting: []) {
                held[revision.id] = "held back: ancestor \(ancestor) failed"
            } else {
                eligible.append(revision)
            }
        }
        self.eligible = eligible
        self.heldReasons = held
        self.applied = applied
        self.outstanding = Set(byID.keys)
    }

    /// What would run from now in `interval` with `budget` seconds left, in order, and why
    /// each other eligible revision would not. Only the first is a decision (the scheduler
    /// decides again after each revision, on a fresh clock); the rest is the forecast that
    /// the backup lists and the waiting reasons quote.
    func run(in interval: OpenInterval, budget: TimeInterval) -> (run: [PendingRevision], reasons: [String: String]) {
        var done = applied
        var left = budget
        var run: [PendingRevision] = []
        var reasons: [String: String] = [:]
        for revision in eligible {
            if let prerequisite = revision.prerequisites.first(where: { outstanding.contains($0) && !done.contains($0) }) {
                reasons[revision.id] = "waits for prerequisite \(prerequisite)"
                continue
            }
            let need = revision.estimatedDuration.timeInterval
            guard need <= left else {
                let needText = ScheduleText.span(need, rounding: .up)
                reasons[revision.id] = need > budget
                    ? "needs \(needText) but only \(ScheduleText.span(budget, rounding: .down)) left in window \(interval.window)"
                    : "needs \(needText) but only \(ScheduleText.span(left, rounding: .down)) would be left in window "
                        + "\(interval.window) after the revisions before it"
                continue
            }
            if let first = run.first { reasons[revision.id] = "queued behind \(first.id) in window \(interval.window)" }
            run.append(revision)
            done.insert(revision.id)
            left -= need
        }
        return (run, reasons)
    }
}
