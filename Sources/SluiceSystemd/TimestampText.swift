import FoundationEssentials
import Glibc

/// Renders log timestamps with `gmtime_r`/`localtime_r` instead of a `DateFormatter`:
/// thread-safe, allocation-light and exactly millisecond-precise.
enum TimestampText {
    /// ISO 8601 in UTC with milliseconds: `2025-03-01T02:00:00.123Z`.
    static func iso8601UTC(_ date: Date) -> String {
        let (seconds, milliseconds) = split(date)
        var parts = tm()
        var time = seconds
        _ = gmtime_r(&time, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))Z"
    }

    /// Local wall-clock time with milliseconds, for a terminal: `14:03:07.250`.
    static func localClock(_ date: Date) -> String {
        let (seconds, milliseconds) = split(date)
        var parts = tm()
        var time = seconds
        _ = localtime_r(&time, &parts)
        return "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(milliseconds, 3))"
    }

    /// Whole seconds since 1970 (rounded down) and the milliseconds past them.
    private static func split(_ date: Date) -> (time_t, Int) {
        let totalMilliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let milliseconds = Int64(totalMilliseconds)
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        return (time_t(seconds), Int(milliseconds - seconds * 1000))
    }

    /// `value` with leading zeros to `width` digits.
    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
