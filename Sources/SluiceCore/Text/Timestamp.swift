import FoundationEssentials
import Glibc

/// The one way sluice writes instants: in `sluice_history`, the state file, lock notes,
/// backup names and JSON logs (UTC, ISO 8601 with milliseconds), and on a terminal (local
/// wall-clock time). Formatted by hand from `gmtime_r`/`localtime_r`: thread-safe,
/// allocation-light, exact to the millisecond, and cheaper than Foundation's format
/// styles, which cost more than the history row they go into.
public enum Timestamp {
    /// ISO 8601 in UTC with milliseconds: `2026-11-24T10:15:00.123Z`.
    public static func iso8601(_ date: Date) -> String {
        let (seconds, milliseconds) = split(date)
        var parts = tm()
        var time = seconds
        _ = gmtime_r(&time, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))Z"
    }

    /// Local wall-clock time with milliseconds, for a terminal: `14:03:07.250`.
    public static func localClock(_ date: Date) -> String {
        let (seconds, milliseconds) = split(date)
        var parts = tm()
        var time = seconds
        _ = localtime_r(&time, &parts)
        return "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))"
    }

    /// Whole seconds since 1970 (rounded down, also before 1970) and the milliseconds past
    /// them. The instant is first rounded to the microsecond, so a time given as `….123`
    /// (stored as `….12299999`) says `.123`, then the milliseconds are truncated.
    private static func split(_ date: Date) -> (time_t, Int) {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = microseconds >= 0 ? microseconds / 1000 : (microseconds - 999) / 1000
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        return (time_t(seconds), Int(milliseconds - seconds * 1000))
    }

    /// `value` with leading zeros to `width` digits.
    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
