/// Dates and times in TOML's RFC 3339 profile: offset date-time, local date-time, local
/// date and local time, each field checked against the calendar.
extension TOMLReader {
    /// Whether the next characters start a date (`dddd-`) or a time (`dd:`) rather than a
    /// number.
    var atDateOrTime: Bool {
        func digit(_ distance: Int) -> Bool { cursor.peek(distance)?.isASCIIDigit == true }
        if digit(0), digit(1), cursor.peek(2) == .colon { return true }
        return digit(0) && digit(1) && digit(2) && digit(3) && cursor.peek(4) == .minus
    }

    /// Reads a date, a date-time or a time of day.
    mutating func readDateOrTime() throws(TOMLSyntaxError) -> TOMLValue {
        if cursor.peek(2) == .colon { return .localTime(try readTime()) }
        let date = try readDate()
        switch cursor.current {
        case UInt8(ascii: "T")?, UInt8(ascii: "t")?:
            cursor.offset += 1
        case .space? where cursor.peek(1)?.isASCIIDigit == true:
            cursor.offset += 1
        default:
            return .localDate(date)
        }
        let time = try readTime()
        guard let offset = try readOffset() else {
            return .localDateTime(TOMLDateTime(date: date, time: time, offsetMinutes: nil))
        }
        return .offsetDateTime(TOMLDateTime(date: date, time: time, offsetMinutes: offset))
    }

    /// Reads `YYYY-MM-DD`.
    private mutating func readDate() throws(TOMLSyntaxError) -> TOMLDate {
        let start = cursor.offset
        let year = try field(4, "year")
        try separator(.minus, "date")
        let month = try field(2, "month")
        try separator(.minus, "date")
        let day = try field(2, "day")
        guard (1...12).contains(month) else { throw cursor.error("month \(month) is not in 1–12", at: start + 5) }
        guard (1...Self.days(inMonth: month, of: year)).contains(day) else {
            throw cursor.error("day \(day) does not exist in \(Self.pad(year, 4))-\(Self.pad(month, 2))", at: start + 8)
        }
        return TOMLDate(year: year, month: month, day: day)
    }

    /// Reads `HH:MM:SS` with an optional fraction of a second.
    private mutating func readTime() throws(TOMLSyntaxError) -> TOMLTime {
        let start = cursor.offset
        let hour = try field(2, "hour")
        try separator(.colon, "time")
        let minute = try field(2, "minute")
        try separator(.colon, "time (seconds are required)")
        let second = try field(2, "second")
        guard hour < 24 else { throw cursor.error("hour \(hour) is not in 00–23", at: start) }
        guard minute < 60 else { throw cursor.error("minute \(minute) is not in 00–59", at: start + 3) }
        guard second < 60 else { throw cursor.error("second \(second) is not in 00–59", at: start + 6) }
        var nanosecond = 0
        if cursor.consume(.dot) {
            guard cursor.current?.isASCIIDigit == true else {
                throw cursor.error("a decimal point in a time must be followed by digits")
            }
            var digits = 0
            while let byte = cursor.current, byte.isASCIIDigit {
                // Keep nine digits (nanoseconds); later ones are dropped, not rounded.
                if digits < 9 { nanosecond = nanosecond * 10 + Int(byte - 0x30) }
                digits += 1
                cursor.offset += 1
            }
            for _ in min(digits, 9)..<9 { nanosecond *= 10 }
        }
        return TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// Reads `Z` or `±HH:MM` as minutes east of UTC; `nil` when there is no offset.
    private mutating func readOffset() throws(TOMLSyntaxError) -> Int? {
        switch cursor.current {
        case UInt8(ascii: "Z")?, UInt8(ascii: "z")?:
            cursor.offset += 1
            return 0
        case .plus?, .minus?:
            let start = cursor.offset
            let negative = cursor.current == .minus
            cursor.offset += 1
            let hours = try field(2, "offset hour")
            try separator(.colon, "offset")
            let minutes = try field(2, "offset minute")
            guard hours < 24, minutes < 60 else { throw cursor.error("offset is not in -23:59 to +23:59", at: start) }
            return (negative ? -1 : 1) * (hours * 60 + minutes)
        default:
            return nil
        }
    }

    /// Reads exactly `count` digits as a number.
    private mutating func field(_ count: Int, _ name: String) throws(TOMLSyntaxError) -> Int {
        var value = 0
        for _ in 0..<count {
            guard let byte = cursor.current, byte.isASCIIDigit else {
                throw cursor.error("expected the \(count)-digit \(name), found \(cursor.describeCurrent())")
            }
            value = value * 10 + Int(byte - 0x30)
            cursor.offset += 1
        }
        return value
    }

    /// Consumes the `-` or `:` between fields.
    private mutating func separator(_ byte: UInt8, _ what: String) throws(TOMLSyntaxError) {
        guard cursor.consume(byte) else {
            let expected = String(decoding: [byte], as: UTF8.self)
            throw cursor.error("expected \"\(expected)\" in the \(what), found \(cursor.describeCurrent())")
        }
    }

    /// The number of days in a month, leap years included.
    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `n` with leading zeros to `width` digits.
    private static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
