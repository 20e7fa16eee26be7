import Foundation
@testable import SluiceDaemon
import Synchronization

/// A wall clock that moves only when the test says so. The daemon's timers sleep on it;
/// `advance(to:)` wakes the ones that are due, so a test can cross a window edge or a
/// retry delay without waiting for it.
final class ManualDaemonClock: DaemonClock {
    private struct State {
        var now: Date
        var sleepers: [UInt64: (deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>
    /// Fired whenever a timer is armed, so a test can wait until the daemon sleeps.
    private let pulse: Pulse

    init(now: Date, pulse: Pulse) {
        state = Mutex(State(now: now))
        self.pulse = pulse
    }

    var now: Date { state.withLock { $0.now } }

    /// The deadlines sleepers wait for, earliest first.
    var deadlines: [Date] { state.withLock { $0.sleepers.values.map(\.deadline).sorted() } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) } else { pulse.fire() }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return Optional(sleeper) }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to `date` and wakes every sleeper whose deadline has come.
    func advance(to date: Date) {
        let due = state.withLock { state in
            state.now = date
            let due = state.sleepers.filter { $0.value.deadline <= date }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
