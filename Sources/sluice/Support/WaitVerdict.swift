import SluiceCore
import SluiceDaemon

/// Where the database stands against what `sluice wait` waits for: there, never without
/// someone acting, or not yet (and why). Pure, so every case is tested without waiting.
enum WaitVerdict: Equatable {
    /// Every revision waited for is applied.
    case reached
    /// A revision on the way is rejected, held or failed: only an operator can change
    /// that (a fixed file, `sluice merge`, a reload).
    case blocked(String)
    /// Not yet; the reason says what it is waiting for.
    case waiting(String)

    /// Judges `target` (`nil`: every head) against the version rows `current`.
    /// - Parameters:
    ///   - graph: the versions directory's usable graph.
    ///   - state: the running daemon's state document, when one is alive: what it
    ///     rejected, held or failed, and why queued revisions wait.
    /// - Throws: `TargetError` for a target that can never name one set of revisions
    ///   (ambiguous, relative); an unknown name is waited for, as its file may be on its way.
    static func judge(target: String?, graph: RevisionGraph, current: [String], state: StateFile.Document?) throws(TargetError) -> WaitVerdict {
        let wanted: [String]
        if let target {
            let expression = try TargetExpression.parse(target)
            do {
                wanted = try graph.resolve(expression, current: current)
            } catch .unknown(let name) {
                return .waiting("\(name) is not in the versions directory yet")
            }
        } else {
            wanted = graph.heads
        }
        let known = current.filter { graph[$0] != nil }
        let applied = graph.ancestors(of: known)
        let needed = graph.ancestors(of: wanted).subtracting(applied)
        if needed.isEmpty { return .reached }
        let ordered = graph.order.filter { needed.contains($0) }
        guard let state else {
            return .waiting("\(ordered.joined(separator: ", ")) not applied, and no daemon is running (no live state file); waiting for one, or for `sluice upgrade`")
        }
        for id in ordered {
            if let entry = state.view.rejected.first(where: { $0.revision == id }) {
                return .blocked("\(id) was rejected: \(entry.reason)")
            }
            if let entry = state.view.held.first(where: { $0.revision == id }) {
                return .blocked("\(id) is held: \(entry.reason)")
            }
            if let reason = state.schedule[id], reason.hasPrefix("failed") || reason.hasPrefix("held back") {
                return .blocked("\(id) \(reason)")
            }
        }
        let first = ordered[0]
        if state.applying == first { return .waiting("\(first) is being applied") }
        if let reason = state.schedule[first] { return .waiting("\(first): \(reason)") }
        if let entry = state.view.waiting.first(where: { $0.revision == first }) { return .waiting("\(first): \(entry.reason)") }
        if state.view.queue.contains(where: { $0.revision == first }) { return .waiting("\(first) is queued") }
        return .waiting("\(first) is not in the daemon's queue yet")
    }
}
