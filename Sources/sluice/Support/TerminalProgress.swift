import Glibc

/// One progress line on stderr, rewritten in place, for long work run from a terminal
/// (`upgrade`'s statements, `restore`'s copy). It appears only when stderr is a terminal
/// and the work has run for a second, is rewritten at most five times a second, and is
/// erased when the work ends, so logs and pipes never see it.
final class TerminalProgress {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var last: ContinuousClock.Instant?
    private var shown = false

    init() { started = clock.now }

    /// Seconds since the work began.
    var elapsed: Duration { clock.now - started }

    /// Shows `line()` now, unless it is too soon.
    func show(_ line: () -> String) {
        guard enabled else { return }
        let now = clock.now
        guard now - started >= .seconds(1) else { return }
        if let last, now - last < .milliseconds(200) { return }
        last = now
        shown = true
        write("\r\u{1B}[K" + line())
    }

    /// Erases the line.
    func finish() {
        guard shown else { return }
        shown = false
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
