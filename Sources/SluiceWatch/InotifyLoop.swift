import Glibc
import SluiceOS

/// The loop both watch threads run: block in `poll(2)` on the inotify descriptor and a
/// wake-up pipe — with no timeout while nothing is pending, so an idle daemon never
/// wakes — read every event that is there, and deliver once a delay after the events
/// has passed.
enum InotifyLoop {
    /// How events move the delivery time.
    enum Timing {
        /// Each event that matters moves it to `delay` after that event: a burst is
        /// delivered once it has been quiet for `delay` (settling).
        case settle
        /// Only the first event arms it: during a continuous stream of events, one
        /// delivery per `delay` (throttling).
        case throttle
    }

    /// Runs until the wake-up pipe is written to.
    /// - Parameters:
    ///   - absorb: takes each batch of events read, returns whether any mattered.
    ///   - deliver: called when the delay has passed after events that mattered.
    static func run(inotifyFD: Int32, wakeFD: Int32, delay: Duration, timing: Timing,
                    absorb: ([InotifyEvent]) -> Bool, deliver: () -> Void) {
        let clock = ContinuousClock()
        var deadline: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let remaining = deadline - clock.now
                let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                timeout = Int32(clamping: max(0, milliseconds + 1))
            }
            guard case .success(let ready) = Syscalls.poll([inotifyFD, wakeFD], timeout: timeout) else { return }
            if ready[1] { return }
            if ready[0] {
                var mattered = false
                while true {
                    let result = buffer.withUnsafeMutableBytes { Syscalls.read(inotifyFD, into: $0) }
                    guard case .success(let count) = result, count > 0 else { break }
                    let events = buffer.withUnsafeBytes { InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    if absorb(events) { mattered = true }
                }
                if mattered, timing == .settle || deadline == nil { deadline = clock.now + delay }
            }
            if let current = deadline, clock.now >= current {
                deliver()
                deadline = nil
            }
        }
    }
}
