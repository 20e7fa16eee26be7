import FoundationEssentials
import SluiceSchedule
import SluiceTime

/// Human text for window openings in `STATUS=` and the state file:
/// `Sat 2026-11-28 02:00 +01:00 (weekend)`.
enum ScheduleDescription {
    static func opening(_ interval: OpenInterval) -> String {
        if interval.start == .distantPast { return "\(interval.window) (always open)" }
        return "\(ScheduleText.local(interval.start, in: interval.timeZone)) (\(interval.window))"
    }
}
