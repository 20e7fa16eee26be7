/// The POSIX `TZ` string at the end of a TZif file (`CET-1CEST,M3.5.0,M10.5.0/3`), which
/// says how a zone keeps time after its last listed transition: every future
/// daylight-saving change comes from here, so "slim" zone files need it for any date
/// after the file was built.
struct PosixZoneRule: Sendable, Equatable {
    /// Standard time: its abbreviation and offset east of UTC, in seconds.
    let standard: ZoneRules.LocalTimeType
    /// Daylight-saving time and when it starts and ends, or `nil` for a zone without it.
    let daylight: Daylight?

    /// The daylight-saving half of a rule.
    struct Daylight: Sendable, Equatable {
        let type: ZoneRules.LocalTimeType
        let start: Change
        let end: Change
    }

    /// A yearly change: a day of the year and the local time of day it happens at (which
    /// may be negative or past 24 h, as RFC 8536 allows).
    struct Change: Sendable, Equatable {
        let day: Day
        let secondsIntoDay: Int
    }

    /// The ways a POSIX rule names a day.
    enum Day: Sendable, Equatable {
        /// `Jn`: day 1…365, February 29 never counted.
        case julianSkippingLeapDay(Int)
        /// `n`: day 0…365, February 29 counted in leap years.
        case zeroBasedDayOfYear(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = the last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// Parses `text`; `nil` when it is not a rule this reader understands.
    init?(_ text: Substring) {
        var scanner = Scanner(text.utf8)
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        standard = ZoneRules.LocalTimeType(secondsEast: -standardOffset, isDaylight: false, abbreviation: standardName)
        if scanner.atEnd {
            daylight = nil
            return
        }
        guard let daylightName = scanner.name() else { return nil }
        var daylightOffset = standardOffset - 3600
        if !scanner.atEnd, scanner.peek != UInt8(ascii: ",") {
            guard let offset = scanner.offset() else { return nil }
            daylightOffset = offset
        }
        let type = ZoneRules.LocalTimeType(secondsEast: -daylightOffset, isDaylight: true, abbreviation: daylightName)
        let start: Change
        let end: Change
        if scanner.atEnd {
            // No rule given: POSIX leaves it to the implementation; this is the US rule
            // that glibc and tzcode use.
            start = Change(day: .monthWeekDay(month: 3, week: 2, weekday: 0), secondsIntoDay: 7200)
            end = Change(day: .monthWeekDay(month: 11, week: 1, weekday: 0), secondsIntoDay: 7200)
        } else {
            guard scanner.take(","), let first = scanner.change(), scanner.take(","), let second = scanner.change(),
                  scanner.atEnd else { return nil }
            start = first
            end = second
        }
        daylight = Daylight(type: type, start: start, end: end)
    }

    /// The local time type in force at `instant` (seconds since 1970-01-01 UTC).
    func type(at instant: Int) -> ZoneRules.LocalTimeType {
        guard let daylight else { return standard }
        let year = CivilDay(number: Self.floorDivide(instant + standard.secondsEast, CivilDay.seconds)).date.year
        // The start is written in standard time, the end in daylight time.
        let starts = Self.instant(of: daylight.start, in: year) - standard.secondsEast
        let ends = Self.instant(of: daylight.end, in: year) - daylight.type.secondsEast
        let inDaylight = starts < ends
            ? (instant >= starts && instant < ends)
            : !(instant >= ends && instant < starts)  // southern hemisphere: DST spans New Year
        return inDaylight ? daylight.type : standard
    }

    /// The local wall-clock second (as if local time were UTC) of `change` in `year`.
    private static func instant(of change: Change, in year: Int) -> Int {
        let january1 = CivilDay(year: year, month: 1, day: 1).number
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let day: Int
        switch change.day {
        case .julianSkippingLeapDay(let n):
            day = january1 + n - 1 + (leap && n >= 60 ? 1 : 0)
        case .zeroBasedDayOfYear(let n):
            day = january1 + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDay(year: year, month: month, day: 1)
            let firstWeekday = first.weekday - 1  // 0 = Sunday
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let nextMonth = month == 12 ? CivilDay(year: year + 1, month: 1, day: 1) : CivilDay(year: year, month: month + 1, day: 1)
            let length = nextMonth.number - first.number
            while dayOfMonth > length { dayOfMonth -= 7 }
            day = first.number + dayOfMonth - 1
        }
        return day * CivilDay.seconds + change.secondsIntoDay
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}

/// A cursor over the bytes of a POSIX `TZ` string.
private struct Scanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: Substring.UTF8View) { bytes = Array(text) }

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func take(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, peek == ascii else { return false }
        index += 1
        return true
    }

    /// `CET` (three or more letters) or `<+03>` (quoted, may hold digits and signs).
    mutating func name() -> String? {
        if take("<") {
            let start = index
            while let byte = peek, byte != UInt8(ascii: ">") { index += 1 }
            guard index - start >= 3, take(">") else { return nil }
            return String(decoding: bytes[start..<index - 1], as: UTF8.self)
        }
        let start = index
        while let byte = peek, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") { index += 1 }
        guard index - start >= 3 else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, with POSIX's sign (positive west of Greenwich).
    mutating func offset() -> Int? {
        var sign = 1
        if take("-") { sign = -1 } else { _ = take("+") }
        guard let seconds = clock(maximumHours: 24) else { return nil }
        return sign * seconds
    }

    /// `Jn`, `n` or `Mm.w.d`, then an optional `/time`.
    mutating func change() -> PosixZoneRule.Change? {
        let day: PosixZoneRule.Day
        if take("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            day = .julianSkippingLeapDay(n)
        } else if take("M") {
            guard let month = number(), (1...12).contains(month), take("."),
                  let week = number(), (1...5).contains(week), take("."),
                  let weekday = number(), (0...6).contains(weekday) else { return nil }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            day = .zeroBasedDayOfYear(n)
        }
        var time = 7200
        if take("/") {
            var sign = 1
            if take("-") { sign = -1 } else { _ = take("+") }
            guard let seconds = clock(maximumHours: 167) else { return nil }
            time = sign * seconds
        }
        return PosixZoneRule.Change(day: day, secondsIntoDay: time)
    }

    private mutating func clock(maximumHours: Int) -> Int? {
        guard let hours = number(), hours <= maximumHours else { return nil }
        var seconds = hours * 3600
        if take(":") {
            guard let minutes = number(), minutes < 60 else { return nil }
            seconds += minutes * 60
            if take(":") {
                guard let secs = number(), secs < 60 else { return nil }
                seconds += secs
            }
        }
        return seconds
    }

    private mutating func number() -> Int? {
        let start = index
        var value = 0
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), index - start < 4 {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
        }
        return index > start ? value : nil
    }
}
