import FoundationEssentials

/// One `[[window]]` of the configuration: when the daemon may apply queued revisions.
///
/// A window is `[start, start + duration)` in `timeZone` on each of `days` (the day on which
/// it starts; it may run past midnight), or, with `always`, open all the time (staging).
/// This is the checked description only; the calendar that answers "is it open now?" lives
/// in the core so that it can be tested over fixed dates and zones.
public struct WindowSpec: Sendable, Equatable {
    /// Unique among windows; it appears in logs (`window.name`) and in `sluice windows`.
    public var name: String
    /// An always-open window; when `true`, `days`, `start` and `duration` are meaningless
    /// (empty, 00:00 and zero) and the calendar must not look at them.
    public var always: Bool
    /// The days on which the window starts, in `Calendar` order (Sunday first), each once.
    public var days: [Weekday]
    /// The local time at which the window opens on each of `days`.
    public var start: LocalTime
    /// How long the window stays open: more than zero and at most seven days.
    public var duration: Duration
    /// The zone in which `days` and `start` are read; UTC unless the file names one.
    public var timeZone: ZoneRules

    /// Creates a scheduled window; `days` are sorted and deduplicated so equal schedules
    /// compare equal however they were listed.
    public init(name: String, days: [Weekday], start: LocalTime, duration: Duration, timeZone: ZoneRules) {
        self.name = name
        self.always = false
        self.days = Array(Set(days)).sorted()
        self.start = start
        self.duration = duration
        self.timeZone = timeZone
    }

    /// Creates a window that is always open, as staging hosts use to apply migrations as
    /// soon as they are deployed.
    public static func alwaysOpen(name: String, timeZone: ZoneRules = WindowSpec.defaultTimeZone) -> WindowSpec {
        var window = WindowSpec(name: name, days: [], start: LocalTime(hour: 0, minute: 0), duration: .zero, timeZone: timeZone)
        window.always = true
        return window
    }

    /// UTC, the zone of a window that names none, so the fallback can never silently become
    /// the host's local zone. It is built in and needs no tzdata, so it exists even on a
    /// minimal host.
    public static let defaultTimeZone: ZoneRules = .utc

    /// The longest window allowed: a longer one would overlap its own next opening.
    public static let maximumDuration: Duration = .seconds(7 * 24 * 3600)
}
