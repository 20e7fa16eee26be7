import Foundation
import SluiceSchedule

/// Human text for window openings in `STATUS=` and the state file:
/// `Sat 02:00 GMT+1 (weekend)`.
enum ScheduleDescription {
    static func opening(_ interval: OpenInterval) -> String {
        if interval.start == .distantPast { return "\(interval.window) (always open)" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = interval.timeZone
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm zzz"
        return "\(formatter.string(from: interval.start)) (\(interval.window))"
    }
}
