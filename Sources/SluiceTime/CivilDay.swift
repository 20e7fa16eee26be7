import FoundationEssentials

/// A calendar day of the proleptic Gregorian calendar, counted in days since 1970-01-01.
///
/// Window days are local days in the window's zone. Doing this arithmetic by hand (rather
/// than through `Calendar`) keeps the calendar exact on daylight-saving days, where
/// library handling of nonexistent and repeated local times differs between platforms;
/// the only zone question asked is `ZoneRules.secondsFromGMT(for:)`.
/// It lives with the configuration because the zone rules' daylight-saving dates are
/// computed with it too.
public struct CivilDay: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before it).
    public let number: Int

    /// Seconds in a civil day, as local wall clocks count them.
    public static let seconds = 86_400

    /// The day with the given day number.
    public init(number: Int) { self.number = number }

    /// The day with the given civil date (Howard Hinnant's `days_from_civil`).
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = era * 146_097 + dayOfEra - 719_468
    }

    /// The local day on which `date` falls in `zone`.
    public init(containing date: Date, in zone: ZoneRules) {
        let wall = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        number = Int((wall / Double(Self.seconds)).rounded(.down))
    }

    /// `Calendar`'s weekday numbering (Sunday = 1), matching `Weekday.rawValue`;
    /// 1970-01-01 was a Thursday.
    public var weekday: Int {
        let fromThursday = ((number % 7) + 7) % 7
        return (fromThursday + 4) % 7 + 1
    }

    /// Year, month and day (Howard Hinnant's `civil_from_days`).
    public var date: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Earlier days first.
    public static func < (lhs: CivilDay, rhs: CivilDay) -> Bool { lhs.number < rhs.number }
}
