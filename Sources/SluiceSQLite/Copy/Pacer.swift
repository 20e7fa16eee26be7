import Glibc

/// Drives a `BackupRun` step by step: holds the copy to `maxRate` bytes per second,
/// pushes what it wrote out to disk as it goes (`WriteOut`), reports progress, and counts
/// the restarts SQLite makes when another connection writes between steps.
struct Pacer {
    /// The most bytes per second; `nil` for no bound.
    var maxRate: Int64?
    /// The source's page size, to turn pages into bytes.
    let bytesPerPage: Int64
    /// How often the copy started again.
    private(set) var restarts = 0
    /// How long the last step's copying took, without the write-out and the pause after
    /// it: what predicts the stall of a copy under one lock.
    private(set) var lastStepDuration: Duration = .zero
    private var previousRemaining: Int?
    private var pagesWritten: Int64 = 0
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant?

    /// A pacer for a copy of pages of `bytesPerPage`.
    init(maxRate: Int64?, bytesPerPage: Int64) {
        self.maxRate = maxRate
        self.bytesPerPage = max(1, bytesPerPage)
    }

    /// One step of `pages` pages, then the write-out and the pause the rate asks for.
    /// - Returns: whether the copy is complete.
    /// - Throws: `SQLiteError` from the step (a source still busy after its busy timeout,
    ///   twice running, is thrown).
    mutating func step(_ run: BackupRun, pages: Int32, writeOut: WriteOut?, progress: ((Int, Int) -> Void)?) throws(SQLiteError) -> Bool {
        let now = clock.now
        if start == nil { start = now }
        var done = false
        var busy = 0
        while true {
            let stepStart = clock.now
            do {
                done = try run.step(pages)
                lastStepDuration = clock.now - stepStart
                break
            } catch where error.isBusy && busy < 2 {
                busy += 1
            }
        }
        let remaining = run.remainingPages
        if let previous = previousRemaining, !done, remaining >= previous {
            restarts += 1
            pagesWritten += Int64(run.copiedPages)
        } else {
            pagesWritten += Int64((previousRemaining ?? run.pageCount) - remaining)
        }
        previousRemaining = remaining
        progress?(run.copiedPages, run.pageCount)
        writeOut?.start()
        if let maxRate, maxRate > 0, let start {
            let due = Double(pagesWritten * bytesPerPage) / Double(maxRate)
            let elapsed = LiveCopy.seconds(clock.now - start)
            if due > elapsed { usleep(UInt32(min((due - elapsed) * 1_000_000, 10_000_000))) }
        }
        return done
    }

    /// Steps until the copy is complete, calling `between` with the restarts so far after
    /// each step (it may throw to give up).
    mutating func stepAll(_ run: BackupRun, writeOut: WriteOut?, progress: ((Int, Int) -> Void)?,
                          between: (Int) throws -> Void = { _ in }) throws {
        while try !step(run, pages: Connection.pagesPerStep, writeOut: writeOut, progress: progress) {
            try between(restarts)
        }
    }
}

/// Pushes a copy's freshly written pages out to disk while it runs, so they never pile up
/// in the page cache for one large flush at the end: an `fsync` of a gigabyte makes the
/// file system's journal commit wait for all of it, and the application's own `fsync`
/// waits with it.
final class WriteOut {
    private let descriptor: Int32

    /// Watches the file at `path` (opened read-only; nothing is written through it).
    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return nil }
    }

    /// Starts write-back of the file's dirty pages without waiting for it, and drops the
    /// pages already written from the cache: `posix_fadvise(POSIX_FADV_DONTNEED)`.
    func start() {
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
    }

    /// Waits until everything written so far is on disk (`fdatasync(2)`); errors are
    /// reported by the caller's own `fsync` of the finished file.
    func flush() {
        _ = fdatasync(descriptor)
    }

    deinit { close(descriptor) }
}
