import FoundationEssentials

/// The wall clock the daemon plans its windows and retries with, and its way of
/// sleeping until a moment. Injected, so the daemon can run in a test process on a clock
/// the test moves, instead of sleeping in real time.
public protocol DaemonClock: Sendable {
    /// The current wall-clock time.
    var now: Date { get }
    /// Returns once `deadline` has come; throws `CancellationError` when the task is
    /// cancelled first.
    func sleep(until deadline: Date) async throws
}

/// The system's clock: `Date()` and a monotonic sleep for the time left. The wall clock
/// is read again on every wake-up (the loop never sleeps longer than
/// `DaemonLoop.maximumSleep`), so a clock jump or a suspend cannot make it miss a window.
public struct SystemDaemonClock: DaemonClock {
    /// The system clock.
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let delay = max(deadline.timeIntervalSinceNow, 0)
        // A few milliseconds late rather than early: a wake-up a hair before a window
        // edge would find it still closed and sleep again for nothing.
        try await Task.sleep(for: .milliseconds(Int(delay * 1000) + 5))
    }
}
