@_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency
import Glibc
import SluiceCore
import SluiceOS
import Synchronization

/// Runs jobs on the one thread that calls `run()`, with its own timers, in place of
/// libdispatch's thread pool. sluice has two: the main loop, where every task of the
/// process runs (the daemon's async code is plumbing: events in, decisions, notifications
/// out), and the database worker, where the `QueueKeeper` actor runs its blocking work
/// (SQLite, file reads) without ever blocking the loop.
///
/// libdispatch's pool, once started, wakes a monitor thread every second for the life of
/// the process; with these executors an idle daemon sleeps in `pthread_cond_wait` (or a
/// timed wait for its next timer, such as the watchdog ping) and wakes for nothing else.
final class SingleThreadExecutor: MainExecutor, TaskExecutor, SchedulingExecutor, @unchecked Sendable {
    // @unchecked: `ready`, `timers` and `stopped` are only touched with `mutex` held; the
    // condition variable that wakes the thread must share that mutex, which
    // `Synchronization.Mutex` does not expose. The one unchecked type in the daemon.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var ready: [UnownedJob] = []
    private var timers = TimerHeap()
    private var stopped = false
    /// The thread running `run()` (at first, the one that made the executor).
    private let owner = Atomic<UInt>(UInt(pthread_self()))
    /// Whether this is the process's main executor (the main loop), which also runs every
    /// task that has no executor of its own.
    let isMainExecutor: Bool

    /// An executor with nothing to run yet.
    /// - Parameter isMain: `true` for the main loop, `false` for a worker: the executor
    ///   of an actor, or the preferred executor of tasks that must not wait for the
    ///   shared pool (a daemon run inside a test process).
    init(isMain: Bool) {
        isMainExecutor = isMain
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// Queues `job` to run as soon as the loop gets to it; callable from any thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        ready.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Queues `job` to run once `delay` has passed (`Task.sleep`).
    public func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C) {
        var nanoseconds: UInt64 = 0
        if let duration = delay as? Duration, duration > .zero {
            let (seconds, attoseconds) = duration.components
            nanoseconds = UInt64(clamping: seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
        }
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        timers.insert(deadline: Self.monotonicNow() &+ nanoseconds, job: job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Queues `job` to run at `instant` of `clock`.
    public func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C) {
        enqueue(job, after: clock.now.duration(to: instant), tolerance: tolerance, clock: clock)
    }

    /// Runs jobs and due timers until `stop()`; sleeps without a timeout when there are
    /// neither.
    func run() throws {
        owner.store(UInt(pthread_self()), ordering: .releasing)
        while let batch = nextBatch() {
            for job in batch {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
        }
    }

    /// Starts a worker: a new thread named `name` runs the executor until `stop()`.
    static func worker(named name: String) -> SingleThreadExecutor {
        let executor = SingleThreadExecutor(isMain: false)
        DetachedThread.start(name: name) { try? executor.run() }
        return executor
    }

    /// Makes `run()` return after the jobs it is running.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Code is isolated to the executor exactly when it runs on the executor's thread
    /// (the main loop's is the main thread: `SluiceMain` calls `run()` there).
    func checkIsolated() {
        precondition(pthread_equal(pthread_self(), pthread_t(owner.load(ordering: .acquiring))) != 0,
                     "expected to run on the thread of this executor")
    }

    /// The jobs to run next, waiting for them; `nil` once stopped.
    private func nextBatch() -> [UnownedJob]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if stopped { return nil }
            let now = Self.monotonicNow()
            while let due = timers.popDue(now: now) { ready.append(due) }
            if !ready.isEmpty {
                let batch = ready
                ready.removeAll(keepingCapacity: true)
                return batch
            }
            if let deadline = timers.earliest {
                var until = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
                pthread_cond_timedwait(condition, mutex, &until)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
    }

    private static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// Jobs waiting for a deadline (monotonic nanoseconds), earliest first; equal deadlines
/// keep their order.
struct TimerHeap {
    private var entries: [(deadline: UInt64, sequence: UInt64, job: UnownedJob)] = []
    private var sequence: UInt64 = 0

    var earliest: UInt64? { entries.first?.deadline }

    mutating func insert(deadline: UInt64, job: UnownedJob) {
        sequence += 1
        entries.append((deadline, sequence, job))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest job if its deadline is at or before `now`.
    mutating func popDue(now: UInt64) -> UnownedJob? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, precedes(left, smallest) { smallest = left }
            if right < entries.count, precedes(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return first.job
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        (entries[a].deadline, entries[a].sequence) < (entries[b].deadline, entries[b].sequence)
    }
}

/// The executors `sluice` installs at start so that no task ever reaches libdispatch:
/// the main actor and every other task share one `SingleThreadExecutor` loop, run by the
/// main thread.
public enum SluiceExecutors {
    static let loop = SingleThreadExecutor(isMain: true)

    /// Installs the loop as the process's main and default executor; call first thing in
    /// `main`, on the main thread, before any task exists.
    public static func install() {
        _createExecutors(factory: Factory.self)
    }

    /// Runs the loop on the calling (main) thread; returns only if it is stopped.
    public static func run() throws {
        try loop.run()
    }

    private enum Factory: ExecutorFactory {
        static var mainExecutor: any MainExecutor { loop }
        static var defaultExecutor: any TaskExecutor { loop }
    }
}
