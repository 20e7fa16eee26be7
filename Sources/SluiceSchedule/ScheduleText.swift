import FoundationEssentials
import SluiceTime

/// How instants and spans appear in waiting reasons and descriptions: fixed formats built by
/// hand, so the text does not depend on the host's locale or zone.
public enum ScheduleText {
    /// `2027-01-09T01:00:00Z`; `distant past` / `distant future` for the open ends of
    /// always-open intervals.
    public static func utc(_ date: Date) -> String {
        if date == .distantPast { return "distant past" }
        if date == .distantFuture { return "distant future" }
        let (day, seconds) = split(date.timeIntervalSince1970)
        return dateText(day) + "T" + timeText(seconds, withSeconds: true) + "Z"
    }

    /// `Sat 2027-01-09 02:00 +01:00`: the instant as the operator's window configuration reads
    /// it, with the offset so that daylight-saving days are unambiguous.
    public static func local(_ date: Date, in zone: ZoneRules) -> String {
        if date == .distantPast || date == .distantFuture { return utc(date) }
        let offset = zone.secondsFromGMT(for: date)
        let (day, seconds) = split(date.timeIntervalSince1970 + Double(offset))
        let weekday = Weekday(rawValue: day.weekday).map { $0.abbreviation.prefix(1).uppercased() + $0.abbreviation.dropFirst() } ?? ""
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(weekday) \(dateText(day)) \(timeText(seconds, withSeconds: false)) \(sign)\(two(minutes / 60)):\(two(minutes % 60))"
    }

    /// A span in the largest fitting units: `40s`, `2m30s`, `1h`, `2d3h`. Whole seconds,
    /// rounded as `rule` says (up for what a revision needs, down for what a window has left,
    /// so that "needs 40s but only 40s left" never appears).
    public static func span(_ interval: TimeInterval, rounding rule: FloatingPointRoundingRule) -> String {
        var seconds = Int(max(0, min(interval, 1e12)).rounded(rule))
        guard seconds > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return text
    }

    private static func split(_ wall: TimeInterval) -> (CivilDay, Int) {
        let whole = Int(wall.rounded(.down))
        let day = Int((Double(whole) / 86_400).rounded(.down))
        return (CivilDay(number: day), whole - day * 86_400)
    }

    private static func dateText(_ day: CivilDay) -> String {
        let (year, month, dayOfMonth) = day.date
        return "\(year)-\(two(month))-\(two(dayOfMonth))"
    }

    private static func timeText(_ seconds: Int, withSeconds: Bool) -> String {
        let clock = "\(two(seconds / 3600)):\(two(seconds / 60 % 60))"
        return withSeconds ? clock + ":\(two(seconds % 60))" : clock
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
