import Foundation
import SluiceConfig
@testable import SluiceSchedule
import SluiceTime

/// An instant written as RFC 3339 text (`2026-03-29T01:00:00Z`), so tests read like the
/// configuration and the SPEC.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

/// A zone that must exist on the test host (tzdata).
func zone(_ identifier: String) -> ZoneRules {
    guard let zone = ZoneRules(identifier: identifier) else { fatalError("no time zone \(identifier) on this host") }
    return zone
}

/// A scheduled window, durations in minutes.
func window(_ name: String, _ days: [Weekday], _ hour: Int, _ minute: Int, minutes: Int, in zoneName: String = "UTC") -> WindowSpec {
    WindowSpec(name: name, days: days, start: LocalTime(hour: hour, minute: minute),
               duration: .seconds(minutes * 60), timeZone: zone(zoneName))
}

/// A blackout from RFC 3339 text.
func blackout(_ from: String, _ until: String, name: String? = nil) -> Blackout {
    Blackout(name: name, from: instant(from), until: instant(until))
}

/// The `[start, end)` pairs of intervals, for compact expectations.
func spans(_ intervals: [OpenInterval]) -> [String] {
    intervals.map { "\($0.window) \(ScheduleText.utc($0.start))–\(ScheduleText.utc($0.end))" }
}

/// The weekend window (sat/sun 02:00–04:00 UTC) that the scheduler tests drive through;
/// Sat 2026-06-13 and Sun 2026-06-14.
let weekend = MaintenanceCalendar(windows: [window("weekend", [.saturday, .sunday], 2, 0, minutes: 120)], blackouts: [])

/// A queued revision with an estimate in seconds.
func revision(_ id: String, after prerequisites: [String] = [], seconds: Int = 5, backup: Bool = false) -> PendingRevision {
    PendingRevision(id: id, prerequisites: prerequisites, estimatedDuration: .seconds(seconds), requiresBackup: backup)
}
