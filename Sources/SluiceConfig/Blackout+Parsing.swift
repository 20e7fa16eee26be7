import FoundationEssentials
import TOML

extension Blackout {
    /// Reads one `[[blackout]]`: `from` and `until` as RFC 3339 strings or TOML offset
    /// date-times, `from` strictly before `until`, and an optional `name`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["name", "from", "until"])
        let name = try table.string("name", example: "\"year-end freeze\"")
        let from = try Self.instant("from", table)
        let until = try Self.instant("until", table)
        guard from < until else {
            throw table.context.error(table.key("until"), "must be later than `from`; a blackout covers [from, until)")
        }
        self.init(name: name, from: from, until: until)
    }

    private static func instant(_ name: String, _ table: TableReader) throws(ConfigurationError) -> Date {
        let key = table.key(name)
        let example = "\"2026-12-20T00:00:00Z\""
        guard let value = table.value(name) else {
            throw table.context.error(key, "missing; a blackout needs `from` and `until`, like \(name) = \(example)")
        }
        if let dateTime = value.dateTime {
            guard let offset = dateTime.offsetMinutes else {
                throw table.context.error(key, "a date-time without Z or an offset is ambiguous; write it like \(example) or with +01:00")
            }
            guard let date = TimestampText.instant(
                year: dateTime.date.year, month: dateTime.date.month, day: dateTime.date.day,
                hour: dateTime.time.hour, minute: dateTime.time.minute, second: dateTime.time.second,
                fraction: Double(dateTime.time.nanosecond) / 1e9, offsetMinutes: offset)
            else {
                throw table.context.error(key, "not a valid date-time; write it like \(example)")
            }
            return date
        }
        guard let text = value.string else {
            throw table.typeError(name, value, expected: "an RFC 3339 date-time with Z or an offset, like \(example)")
        }
        guard let date = TimestampText.parse(text) else {
            throw table.context.error(key, "\"\(text)\" is not an RFC 3339 date-time with Z or an offset; write it like \(example)")
        }
        return date
    }
}
