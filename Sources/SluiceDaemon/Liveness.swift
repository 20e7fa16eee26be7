import FoundationEssentials
import SluiceCore
import SluiceSQLite
import SluiceSystemd
import Synchronization

/// Proof that the daemon is alive, turned into `WATCHDOG=1` (and, during start-up,
/// `EXTEND_TIMEOUT_USEC`).
///
/// Two things may prove it: the event loop, which handles a heartbeat input every ping
/// interval (a wedged loop stops handling them), and SQLite's progress handler during a
/// long statement (so a long migration is not killed). Nothing else pings.
final class Liveness: Sendable {
    /// What the proofs share: when the last ping and start-up extension went out, and
    /// whether start-up is over and the daemon is stopping.
    private struct State {
        var lastPing = ContinuousClock.now
        var lastExtension = ContinuousClock.now
        var ready = false
        var stopping = false
        /// The stop timeout passed while a revision was being applied.
        var applyOverdue = false
    }

    private let state = Mutex(State())
    private let notifier: any NotifySending
    /// Half of `WATCHDOG_USEC`, or `nil` when systemd set no watchdog.
    let pingInterval: Duration?
    /// How much more start-up time to ask for while validation runs.
    static let startupExtension: Duration = .seconds(60)

    init(notifier: any NotifySending, pingInterval: Duration?) {
        self.notifier = notifier
        self.pingInterval = pingInterval
    }

    /// From now on, statements of an evaluation (rehearsals) are interrupted: a stop must
    /// not wait for them.
    func beginStopping() { state.withLock { $0.stopping = true } }

    /// Whether a stop has begun (what an interrupted rehearsal concluded is not kept).
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Whether the statements SQLite runs here belong to an evaluation (rehearsals),
    /// which a stop interrupts at once. Bound to the task (and so to the thread running
    /// the statement when the progress hook asks), not to the process: the fleet daemon
    /// rehearses while members migrate on other threads, and a stop must let their
    /// revisions finish, up to the stop timeout.
    @TaskLocal static var inEvaluation = false

    /// Runs `body` as an evaluation: once stopping, its statements are interrupted.
    func evaluating<Result>(_ body: () throws -> Result) rethrows -> Result {
        try Self.$inEvaluation.withValue(true) { try body() }
    }

    /// The stop timeout passed with a revision still running: its statements are
    /// interrupted from now on, so SQLite rolls it back and it is never left half-applied.
    func interruptApply() { state.withLock { $0.applyOverdue = true } }

    /// Marks start-up as done: no more `EXTEND_TIMEOUT_USEC` from the progress hook.
    func markReady() { state.withLock { $0.ready = true } }

    /// The event loop's proof: pings at once.
    func loopIsAlive() {
        guard pingInterval != nil else { return }
        state.withLock { $0.lastPing = .now }
        _ = notifier.send([.watchdog])
    }

    /// SQLite's proof from inside a statement: pings when a ping is due, and extends the
    /// start-up timeout while the first validation runs. Once the daemon is stopping, it
    /// interrupts rehearsals at once and an apply after the stop timeout.
    func statementIsAlive() -> Bool {
        let now = ContinuousClock.now
        let (fields, interrupt) = state.withLock { state -> ([NotifyField], Bool) in
            var fields: [NotifyField] = []
            if let interval = pingInterval, now - state.lastPing >= interval {
                state.lastPing = now
                fields.append(.watchdog)
            }
            if !state.ready, now - state.lastExtension >= .seconds(10) {
                state.lastExtension = now
                fields.append(.extendTimeout(Self.startupExtension))
            }
            return (fields, state.stopping && (Self.inEvaluation || state.applyOverdue))
        }
        if !fields.isEmpty { _ = notifier.send(fields) }
        return interrupt
    }

    /// Calls `beat` every ping interval until the task is cancelled, so the event loop
    /// proves it is alive by handling it; returns at once without a watchdog.
    func heartbeat(_ beat: @Sendable () -> Void) async {
        guard let interval = pingInterval else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            beat()
        }
    }

    /// Once `stopping` yields, waits `timeout` and then interrupts the revisions still
    /// running (if `applying` says there are any): SQLite rolls them back, so a stop never
    /// leaves one half-applied. Returns early when cancelled.
    func interruptApplies(after timeout: Duration, once stopping: AsyncStream<Void>, applying: @Sendable () -> Bool) async {
        for await _ in stopping {
            guard applying() else { return }
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { interruptApply() }
            return
        }
    }

    /// Installs `statementIsAlive` as the process-wide SQLite progress hook.
    func installSQLiteHook() {
        SQLiteProgress.setHook { [self] in self.statementIsAlive() }
    }
}
