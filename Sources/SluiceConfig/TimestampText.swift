import FoundationEssentials

/// RFC 3339 timestamps for `[[blackout]]` `from` and `until`.
///
/// Parsed by hand instead of with a date formatter so the accepted shape is exact and the
/// result never depends on the host's locale or time zone: an instant needs `Z` or an offset.
enum TimestampText {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space instead of
    /// `T` are accepted as RFC 3339 allows. `nil` for anything else, including a missing offset.
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8).trimmingASCIISpaces()
        guard b.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= b.count, b[start..<start + length].allSatisfy(\.isASCIIDigit) else { return nil }
            return b[start..<start + length].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        func byte(_ index: Int, in set: String) -> Bool { index < b.count && set.utf8.contains(b[index]) }
        guard let year = number(0, 4), byte(4, in: "-"), let month = number(5, 2), byte(7, in: "-"),
              let day = number(8, 2), byte(10, in: "Tt "), let hour = number(11, 2), byte(13, in: ":"),
              let minute = number(14, 2), byte(16, in: ":"), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, in: ".") {
            index += 1
            let start = index
            while index < b.count, b[index].isASCIIDigit { index += 1 }
            guard index > start, let value = Double("0" + String(decoding: b[(start - 1)..<index], as: UTF8.self)) else { return nil }
            fraction = value
        }
        var offsetMinutes = 0
        if byte(index, in: "Zz"), index + 1 == b.count {
            offsetMinutes = 0
        } else if byte(index, in: "+-"), index + 6 == b.count, let oh = number(index + 1, 2), byte(index + 3, in: ":"),
                  let om = number(index + 4, 2), oh <= 23, om <= 59 {
            offsetMinutes = (oh * 60 + om) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                       fraction: fraction, offsetMinutes: offsetMinutes)
    }

    /// The instant for a civil date and time at a UTC offset, or `nil` if any field is out
    /// of range (month 13, 30 February, hour 24, second 60).
    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                        fraction: Double = 0, offsetMinutes: Int) -> Date? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let days = CivilDay(year: year, month: month, day: day).number
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
