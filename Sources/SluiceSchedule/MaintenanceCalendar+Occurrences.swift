import FoundationEssentials
import SluiceTime

extension MaintenanceCalendar {
    /// Every open interval (blackouts cut out) with `end > lower` and `start <= upper`: all
    /// of them, so that callers can take minima and sort without missing one.
    ///
    /// An interval lies within its window occurrence, so it suffices to cut the occurrences
    /// that overlap the same range.
    func intervals(endingAfter lower: Date, startingAtOrBefore upper: Date) -> [OpenInterval] {
        windows.flatMap { window in
            occurrences(of: window, endingAfter: lower, startingAtOrBefore: upper).flatMap { occurrence in
                timeline.cut(start: occurrence.start, end: occurrence.end)
                    .filter { $0.end > lower && $0.start <= upper }
                    .map { OpenInterval(window: window.name, start: $0.start, end: $0.end, timeZone: window.timeZone) }
            }
        }
    }

    /// The uncut occurrences of `window` overlapping the range: for an always-open window the
    /// whole time line; otherwise one per listed local day, starting at the local start time
    /// resolved in the window's zone and lasting `duration` of elapsed time.
    func occurrences(of window: WindowSpec, endingAfter lower: Date, startingAtOrBefore upper: Date)
        -> [(start: Date, end: Date)] {
        if window.always { return [(Date.distantPast, Date.distantFuture)] }
        let length = window.duration.timeInterval
        guard length > 0, !window.days.isEmpty, lower <= upper else { return [] }
        let days = Set(window.days.map(\.rawValue))
        // A window lasts at most seven days, so one that started eight local days before
        // `lower` has closed; one more day on each side absorbs the zone offset.
        let first = CivilDay(containing: lower.addingTimeInterval(-8 * 86_400), in: window.timeZone).number - 1
        let last = CivilDay(containing: upper, in: window.timeZone).number + 1
        guard first <= last else { return [] }
        var found: [(start: Date, end: Date)] = []
        for number in first...last {
            let day = CivilDay(number: number)
            guard days.contains(day.weekday) else { continue }
            let wall = number * CivilDay.seconds + window.start.minutesSinceMidnight * 60
            let start = window.timeZone.firstInstant(atWallSeconds: wall)
            let end = start.addingTimeInterval(length)
            if end > lower && start <= upper { found.append((start, end)) }
        }
        return found
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic wants it.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
