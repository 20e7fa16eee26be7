/// A calendar date as TOML writes it (`2026-12-20`), already checked: the month is 1–12
/// and the day exists in that month (leap years included).
public struct TOMLDate: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
}

/// A time of day as TOML writes it (`02:00:00.5`), already checked: hour 0–23, minute and
/// second 0–59; the fraction is kept to the nanosecond (digits past the ninth are dropped).
public struct TOMLTime: Equatable, Sendable {
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let nanosecond: Int
}

/// A TOML date-time: a date, a time and, for the offset kind, the offset from UTC.
public struct TOMLDateTime: Equatable, Sendable {
    public let date: TOMLDate
    public let time: TOMLTime
    /// Minutes east of UTC (`Z` is 0, `-05:30` is -330); `nil` for a local date-time,
    /// which names no instant until a zone is chosen.
    public let offsetMinutes: Int?
}
