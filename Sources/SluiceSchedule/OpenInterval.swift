import FoundationEssentials
import SluiceTime

/// One stretch of time in which a window is open, blackouts already cut out.
///
/// The calendar answers in these rather than in booleans because the scheduler needs to know
/// how much of the window is left (does the next revision fit?), the status line needs the
/// window's name, and `sluice windows` prints the start in the window's own zone.
public struct OpenInterval: Sendable, Equatable, CustomStringConvertible {
    /// The `name` of the `[[window]]` this stretch belongs to, for logs (`window.name`) and status.
    public let window: String
    /// The first open instant (inclusive). `Date.distantPast` for an always-open window that no
    /// blackout cuts before the date asked about.
    public let start: Date
    /// The first closed instant (exclusive). `Date.distantFuture` for an always-open window that
    /// no later blackout cuts.
    public let end: Date
    /// The window's zone, so callers can show the opening as the operator configured it.
    public let timeZone: ZoneRules

    /// Creates an interval; the calendar makes these, tests and fakes may too.
    public init(window: String, start: Date, end: Date, timeZone: ZoneRules) {
        self.window = window
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }

    /// Whether `date` lies in `[start, end)`, the same half-open rule as windows and blackouts.
    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// The time left from `date` until the interval closes, as the scheduler's "does it fit?"
    /// question needs it; zero once closed, and huge (not infinite) for an endless interval.
    public func remaining(after date: Date) -> TimeInterval { max(0, end.timeIntervalSince(date)) }

    /// `weekend 2027-01-09T01:00:00Z–2027-01-09T03:00:00Z`, for logs and test failures.
    public var description: String {
        "\(window) \(ScheduleText.utc(start))–\(ScheduleText.utc(end))"
    }

    /// The order `openings` promises: by start, then window name, then end, so that equal
    /// calendars always list overlapping windows the same way.
    static func chronological(_ lhs: OpenInterval, _ rhs: OpenInterval) -> Bool {
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        if lhs.window != rhs.window { return lhs.window < rhs.window }
        return lhs.end < rhs.end
    }
}
