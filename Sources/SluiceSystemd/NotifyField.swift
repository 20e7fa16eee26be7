import SluiceOS
/// One `NAME=value` assignment of the sd_notify protocol (sd_notify(3)), typed so a
/// caller cannot misspell a name or forget the unit of a number.
public enum NotifyField: Sendable, Equatable {
    /// `READY=1`: start-up (or a reload) is finished; systemd starts dependents.
    case ready
    /// `RELOADING=1`: a configuration reload began; send it with `MONOTONIC_USEC`, in
    /// the same datagram (see `reloadingNow()`).
    case reloading
    /// `STOPPING=1`: shutdown began, so systemd does not count the drain as a hang.
    case stopping
    /// `WATCHDOG=1`: the keep-alive ping, sent at `WatchdogSettings.pingInterval`.
    case watchdog
    /// `STATUS=…`: the one-line summary that `systemctl status` shows. Newlines become
    /// spaces, NUL bytes are dropped, and very long text is cut (see `assignment`).
    case status(String)
    /// `EXTEND_TIMEOUT_USEC=…`: asks for more time than the start, stop or runtime
    /// timeout allows, e.g. while a revision in flight finishes during shutdown.
    case extendTimeout(Duration)
    /// `MONOTONIC_USEC=…`: a `CLOCK_MONOTONIC` reading in microseconds, which systemd
    /// 253+ uses to order a reload; use `monotonicNow()` for the current time.
    case monotonic(microseconds: UInt64)
    /// `ERRNO=…`: why the service failed, as an errno number systemd can show.
    case errno(Int32)
    /// `MAINPID=…`: names the service's main process when another process notifies.
    case mainPID(Int32)

    /// The longest `STATUS=` text sent, in UTF-8 bytes: systemd ignores notification
    /// datagrams above its buffer size (4096 bytes in current versions).
    public static let maximumStatusBytes = 2048

    /// `MONOTONIC_USEC=` with the current `CLOCK_MONOTONIC` time.
    public static func monotonicNow() -> NotifyField {
        .monotonic(microseconds: Syscalls.monotonicMicroseconds())
    }

    /// `RELOADING=1` and `MONOTONIC_USEC=<now>`, the pair systemd expects in one
    /// datagram when a reload starts.
    public static func reloadingNow() -> [NotifyField] {
        [.reloading, .monotonicNow()]
    }

    /// The `NAME=value` text that travels in the datagram, one line without a newline.
    public var assignment: String {
        switch self {
        case .ready: "READY=1"
        case .reloading: "RELOADING=1"
        case .stopping: "STOPPING=1"
        case .watchdog: "WATCHDOG=1"
        case .status(let text): "STATUS=\(Self.oneLine(text))"
        case .extendTimeout(let duration): "EXTEND_TIMEOUT_USEC=\(Self.microseconds(roundingUp: duration))"
        case .monotonic(let microseconds): "MONOTONIC_USEC=\(microseconds)"
        case .errno(let code): "ERRNO=\(code)"
        case .mainPID(let pid): "MAINPID=\(pid)"
        }
    }

    /// Status text made safe for one line of the protocol: line breaks become single
    /// spaces, NUL is removed (systemd drops datagrams that contain it), and the text is
    /// cut at a character boundary to `maximumStatusBytes`.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var bytes = 0
        var previousWasBreak = false
        for character in text {
            let replacement: Character
            if character.isNewline {
                if previousWasBreak { continue }
                previousWasBreak = true
                replacement = " "
            } else if character == "\0" {
                continue
            } else {
                previousWasBreak = false
                replacement = character
            }
            let size = replacement.utf8.count
            if bytes + size > maximumStatusBytes { break }
            bytes += size
            result.append(replacement)
        }
        return result
    }

    /// A duration in whole microseconds, rounded up so a requested extension is never
    /// shorter than asked; negative durations count as zero.
    static func microseconds(roundingUp duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, !(seconds == 0 && attoseconds <= 0) else { return 0 }
        let wholeMicroseconds = UInt64(attoseconds / 1_000_000_000_000)
        let remainder = attoseconds % 1_000_000_000_000
        return UInt64(seconds) * 1_000_000 + wholeMicroseconds + (remainder > 0 ? 1 : 0)
    }
}
