import FoundationEssentials
import SluiceTime

/// When the daemon may change the database: the configured windows minus the blackouts.
///
/// Pure and clock-free (STYLE habit 7): every question takes the instant it is about, so the
/// calendar is tested over fixed dates and explicit zones, daylight-saving days included,
/// and the scheduler can ask it about whatever `now` its last event carried.
public struct MaintenanceCalendar: Sendable {
    /// The windows as configured, so status output can list them.
    public let windows: [WindowSpec]
    /// The blackouts as configured, so status output can list them.
    public let blackouts: [Blackout]
    /// The blackouts merged, for cutting.
    let timeline: BlackoutTimeline

    /// Builds the calendar of a checked configuration (`SluiceConfiguration.windows` and
    /// `.blackouts`). No windows at all means never open.
    public init(windows: [WindowSpec], blackouts: [Blackout]) {
        self.windows = windows
        self.blackouts = blackouts
        self.timeline = BlackoutTimeline(blackouts)
    }

    /// The open interval containing `date`, if any, so the scheduler knows both that it may
    /// apply and how long it has. Where windows overlap, the one that ends last, since that is
    /// how long the daemon may keep going.
    public func openInterval(at date: Date) -> OpenInterval? {
        intervals(endingAfter: date, startingAtOrBefore: date).max { lhs, rhs in
            lhs.end != rhs.end ? lhs.end < rhs.end : lhs.window > rhs.window
        }
    }

    /// Whether any window is open at `date` (outside every blackout).
    public func isOpen(at date: Date) -> Bool { openInterval(at: date) != nil }

    /// The next `count` openings of all windows together, in time order (by start, then
    /// window name), with blackouts already cut out — what `sluice windows --next N` prints
    /// and what waiting reasons quote. With `includingCurrent`, intervals already open at
    /// `date` come first; otherwise only those starting at or after `date`.
    public func openings(after date: Date, count: Int, includingCurrent: Bool = true) -> [OpenInterval] {
        guard count > 0, !windows.isEmpty else { return [] }
        // After the last blackout every scheduled window opens at least once a week.
        let bound = max(date, timeline.lastEnd ?? date).addingTimeInterval(Double(count + 2) * Self.week)
        var horizon = date.addingTimeInterval(2 * Self.week)
        while true {
            let found = intervals(endingAfter: date, startingAtOrBefore: horizon)
                .filter { includingCurrent || $0.start >= date }
                .sorted(by: OpenInterval.chronological)
            if found.count >= count || horizon >= bound { return Array(found.prefix(count)) }
            horizon = min(horizon.addingTimeInterval(horizon.timeIntervalSince(date)), bound)
        }
    }

    /// The next instant after `date` at which an interval opens or closes, or `nil` when the
    /// state never changes again (only always-open windows and no blackout ahead, or no
    /// windows). The daemon sleeps until this — capped, and re-reading the clock on waking.
    public func nextTransition(after date: Date) -> Date? {
        guard !windows.isEmpty else { return nil }
        let bound = max(date, timeline.lastEnd ?? date).addingTimeInterval(3 * Self.week)
        var horizon = date.addingTimeInterval(2 * Self.week)
        while true {
            let edges = intervals(endingAfter: date, startingAtOrBefore: horizon)
                .flatMap { [$0.start, $0.end] }
                .filter { $0 > date && $0 <= horizon }
            if let next = edges.min() { return next }
            if horizon >= bound { return nil }
            horizon = min(horizon.addingTimeInterval(horizon.timeIntervalSince(date)), bound)
        }
    }

    /// Seconds in seven days, the period after which every scheduled window recurs.
    static let week: TimeInterval = 7 * 86_400
}
