import FoundationEssentials
import SluiceCore
import SluiceSQLite
import SluiceSystemd

/// Proof that the daemon is alive, turned into `WATCHDOG=1` (and, during start-up,
/// `EXTEND_TIMEOUT_USEC`).
///
/// Two things may prove it: the event loop, which handles a heartbeat input every ping
/// interval (a wedged loop stops handling them), and SQLite's progress handler during a
/// long statement (so a long migration is not killed). Nothing else pings.
final class Liveness: @unchecked Sendable {
    // @unchecked: the mutable fields are only touched under `lock`; the notifier is
    // Sendable.
    private let lock = ThreadLock()
    private let notifier: any NotifySending
    /// Half of `WATCHDOG_USEC`, or `nil` when systemd set no watchdog.
    let pingInterval: Duration?
    private var lastPing = ContinuousClock.now
    private var lastExtension = ContinuousClock.now
    private var ready = false
    /// How much more start-up time to ask for while validation runs.
    static let startupExtension: Duration = .seconds(60)

    private var stopping = false
    private let evaluating: LockedFlag

    init(notifier: any NotifySending, pingInterval: Duration?, evaluating: LockedFlag) {
        self.notifier = notifier
        self.pingInterval = pingInterval
        self.evaluating = evaluating
    }

    /// From now on, statements of an evaluation (rehearsals) are interrupted: a stop must
    /// not wait for them.
    func beginStopping() { lock.lock(); stopping = true; lock.unlock() }

    /// Marks start-up as done: no more `EXTEND_TIMEOUT_USEC` from the progress hook.
    func markReady() { lock.lock(); ready = true; lock.unlock() }

    /// The event loop's proof: pings at once.
    func loopIsAlive() {
        guard pingInterval != nil else { return }
        lock.lock(); lastPing = .now; lock.unlock()
        _ = notifier.send([.watchdog])
    }

    /// SQLite's proof from inside a statement: pings when a ping is due, and extends the
    /// start-up timeout while the first validation runs. Interrupts only rehearsals, and
    /// only once the daemon is stopping.
    func statementIsAlive() -> Bool {
        let now = ContinuousClock.now
        var fields: [NotifyField] = []
        lock.lock()
        if let interval = pingInterval, now - lastPing >= interval {
            lastPing = now
            fields.append(.watchdog)
        }
        if !ready, now - lastExtension >= .seconds(10) {
            lastExtension = now
            fields.append(.extendTimeout(Self.startupExtension))
        }
        let interrupt = stopping
        lock.unlock()
        if !fields.isEmpty { _ = notifier.send(fields) }
        return interrupt && evaluating.get()
    }

    /// Installs `statementIsAlive` as the process-wide SQLite progress hook.
    func installSQLiteHook() {
        SQLiteProgress.setHook { [self] in self.statementIsAlive() }
    }
}
