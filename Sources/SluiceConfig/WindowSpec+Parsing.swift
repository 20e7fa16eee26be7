import FoundationEssentials
import SluiceTime

extension WindowSpec {
    /// Reads one `[[window]]`: either `always = true` (with at most a `timezone`), or
    /// `days`, `start` and `duration` (with an optional `timezone`, UTC by default).
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["name", "always", "days", "start", "duration", "timezone"])
        guard let name = try table.string("name", example: "\"weekend\"") else {
            throw table.context.error(table.key("name"), "every window needs a name, like name = \"weekend\"")
        }
        guard !name.isBlank else {
            throw table.context.error(table.key("name"), "a window name must not be empty")
        }
        let timeZone = try Self.timeZone(table)
        if try table.bool("always") == true {
            for scheduleKey in ["days", "start", "duration"] where table.contains(scheduleKey) {
                throw table.context.error(table.key(scheduleKey), "not allowed with always = true; an always-open window "
                    + "has no schedule (remove `\(scheduleKey)`, or remove `always` to schedule the window)")
            }
            self = .alwaysOpen(name: name, timeZone: timeZone)
            return
        }
        let missing = ["days", "start", "duration"].filter { !table.contains($0) }
        if let first = missing.first {
            throw table.context.error(table.key(first), "missing; a window needs days, start and duration "
                + "(like days = [\"sat\", \"sun\"], start = \"02:00\", duration = \"2h\"), or always = true")
        }
        self.init(name: name, days: try Self.days(table), start: try Self.start(table),
                  duration: try Self.duration(table), timeZone: timeZone)
    }

    private static func timeZone(_ table: TableReader) throws(ConfigurationError) -> ZoneRules {
        guard let identifier = try table.string("timezone", example: "\"Europe/Berlin\"") else { return defaultTimeZone }
        guard let zone = ZoneRules(identifier: identifier) else {
            let hint = ZoneRules.spelling(of: identifier).map { "did you mean \"\($0)\"? " } ?? ""
            throw table.context.error(table.key("timezone"), "unknown time zone \"\(identifier)\"; \(hint)use an IANA name "
                + "such as \"UTC\", \"Europe/Berlin\" or \"America/New_York\" (see \(ZoneRules.directory), Debian package tzdata)")
        }
        return zone
    }

    private static func days(_ table: TableReader) throws(ConfigurationError) -> [Weekday] {
        let example = "[\"sat\", \"sun\"]"
        guard let value = table.value("days") else { return [] }
        guard let array = value.array else {
            throw table.typeError("days", value, expected: "an array of days like \(example)")
        }
        guard !array.isEmpty else {
            throw table.context.error(table.key("days"), "must list at least one day, like \(example)")
        }
        var days: [Weekday] = []
        for (index, element) in array.enumerated() {
            let key = "\(table.key("days"))[\(index)]"
            guard let text = element.string else {
                throw table.context.error(key, "expected a day like \"mon\", found \(TableReader.describe(element))")
            }
            guard let day = Weekday(configurationText: text) else {
                throw table.context.error(key, "\"\(text)\" is not a day; use mon, tue, wed, thu, fri, sat or sun "
                    + "(or the full English name)")
            }
            guard !days.contains(day) else {
                throw table.context.error(key, "\"\(text)\" is listed twice; list each day once")
            }
            days.append(day)
        }
        return days
    }

    private static func start(_ table: TableReader) throws(ConfigurationError) -> LocalTime {
        let key = table.key("start")
        guard let value = table.value("start") else { return LocalTime(hour: 0, minute: 0) }
        if let time = value.time {
            guard time.second == 0, time.nanosecond == 0 else {
                throw table.context.error(key, "windows start on a whole minute; write \"HH:MM\" like \"02:00\"")
            }
            return LocalTime(hour: time.hour, minute: time.minute)
        }
        guard let text = value.string else {
            throw table.typeError("start", value, expected: "a time of day like \"02:00\"")
        }
        guard let start = LocalTime(text: text) else {
            throw table.context.error(key, "\"\(text)\" is not a time of day; write \"HH:MM\" from \"00:00\" to \"23:59\"")
        }
        return start
    }

    private static func duration(_ table: TableReader) throws(ConfigurationError) -> Duration {
        guard let duration = try table.duration("duration", example: "\"2h\"") else { return .zero }
        guard duration > .zero else {
            throw table.context.error(table.key("duration"), "must be longer than zero; a window that never opens is "
                + "better removed")
        }
        guard duration <= maximumDuration else {
            throw table.context.error(table.key("duration"), "must be at most 7d; a longer window would overlap its "
                + "own next opening (use always = true for a window that never closes)")
        }
        return duration
    }
}
