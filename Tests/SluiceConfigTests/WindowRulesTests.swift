import Foundation
@testable import SluiceConfig
import SluiceTime
import Testing

@Suite("[[window]] rules")
struct WindowRulesTests {
    @Test("Should make an always-open window, in UTC unless a zone is given")
    func alwaysOpen() throws {
        let configuration = try parsed("""
        [[window]]
        name = "staging"
        always = true

        [[window]]
        name = "staging-berlin"
        always = true
        timezone = "Europe/Berlin"
        """)
        #expect(configuration.windows.count == 2)
        let window = configuration.windows[0]
        #expect(window == .alwaysOpen(name: "staging"))
        #expect(window.always && window.days.isEmpty && window.duration == .zero)
        #expect(window.timeZone == WindowSpec.defaultTimeZone && window.timeZone.secondsFromGMT(for: Date()) == 0)
        #expect(configuration.windows[1].timeZone.identifier == "Europe/Berlin")
    }

    @Test("Should default a scheduled window to UTC and accept full day names in any case and a TOML time")
    func scheduledDefaults() throws {
        let configuration = try parsed(windowTOML(
            "name = \"nightly\"", "days = [\"Monday\", \"TUE\", \"wed\", \"thursday\", \"fri\"]",
            "start = 23:30:00", "duration = \"1h30m\"", "always = false"))
        let window = try #require(configuration.windows.first)
        #expect(!window.always)
        #expect(window.days == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(window.start == LocalTime(hour: 23, minute: 30))
        #expect(window.duration == .seconds(5400))
        #expect(window.timeZone == WindowSpec.defaultTimeZone)
    }

    @Test("Should accept a window of exactly seven days")
    func sevenDays() throws {
        let window = try parsed(windowTOML("name = \"w\"", "days = [\"sun\"]", "start = \"00:00\"", "duration = \"7d\""))
        #expect(window.windows[0].duration == .seconds(7 * 86_400))
    }

    @Test("Should reject a window that breaks a rule, naming the key", arguments: [
        // name
        (windowTOML("always = true"), "window[0].name", "needs a name"),
        (windowTOML("name = \"\"", "always = true"), "window[0].name", "must not be empty"),
        (windowTOML("name = 7", "always = true"), "window[0].name", "expected a string"),
        // always
        (windowTOML("name = \"w\"", "always = \"yes\""), "window[0].always", "`true` or `false`"),
        (windowTOML("name = \"w\"", "always = true", "days = [\"sat\"]"), "window[0].days", "not allowed with always = true"),
        (windowTOML("name = \"w\"", "always = true", "start = \"02:00\""), "window[0].start", "not allowed with always = true"),
        (windowTOML("name = \"w\"", "always = true", "duration = \"2h\""), "window[0].duration", "not allowed with always = true"),
        (windowTOML("name = \"w\"", "always = false"), "window[0].days", "missing"),
        (windowTOML("name = \"w\""), "window[0].days", "or always = true"),
        // required schedule keys
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "duration = \"2h\""), "window[0].start", "missing"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\""), "window[0].duration", "missing"),
        // days
        (windowTOML("name = \"w\"", "days = []", "start = \"02:00\"", "duration = \"2h\""), "window[0].days", "at least one day"),
        (windowTOML("name = \"w\"", "days = \"sat\"", "start = \"02:00\"", "duration = \"2h\""), "window[0].days", "expected an array of days"),
        (windowTOML("name = \"w\"", "days = [\"sat\", \"sonday\"]", "start = \"02:00\"", "duration = \"2h\""), "window[0].days[1]", "\"sonday\" is not a day"),
        (windowTOML("name = \"w\"", "days = [\"sat\", 1]", "start = \"02:00\"", "duration = \"2h\""), "window[0].days[1]", "expected a day"),
        (windowTOML("name = \"w\"", "days = [\"sat\", \"Saturday\"]", "start = \"02:00\"", "duration = \"2h\""), "window[0].days[1]", "listed twice"),
        // start
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"24:00\"", "duration = \"2h\""), "window[0].start", "not a time of day"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"2am\"", "duration = \"2h\""), "window[0].start", "\"HH:MM\""),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = 02:00:30", "duration = \"2h\""), "window[0].start", "whole minute"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = 200", "duration = \"2h\""), "window[0].start", "expected a time of day"),
        // duration
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = \"2 hours\""), "window[0].duration", "is not a duration"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = \"0s\""), "window[0].duration", "longer than zero"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = \"7d1ms\""), "window[0].duration", "at most 7d"),
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = 120"), "window[0].duration", "expected a string like \"2h\""),
        // timezone
        (windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = \"2h\"", "timezone = \"Mars/Olympus\""), "window[0].timezone", "unknown time zone \"Mars/Olympus\""),
        (windowTOML("name = \"w\"", "always = true", "timezone = \"\""), "window[0].timezone", "unknown time zone"),
        (windowTOML("name = \"w\"", "always = true", "timezone = \"europe/berlin\""), "window[0].timezone", "did you mean \"Europe/Berlin\"?"),
        (windowTOML("name = \"w\"", "always = true", "timezone = 1"), "window[0].timezone", "expected a string"),
    ])
    func rules(toml: String, key: String, reason: String) {
        expectRejected(toml, key: key, reason: reason)
    }

    @Test("Should reject a second window with the same name, pointing at the second")
    func duplicateNames() {
        let toml = windowTOML("name = \"w\"", "always = true") + windowTOML("name = \"x\"", "always = true")
            + windowTOML("name = \"w\"", "days = [\"sat\"]", "start = \"02:00\"", "duration = \"2h\"")
        let error = expectRejected(toml, key: "window[2].name", reason: "already the name of window[0]")
        #expect(error?.description == "\(examplePath): key `window[2].name`: \"w\" is already the name of window[0]; window names must be unique")
    }

    @Test("Should read the time of day as \"HH:MM\" from 00:00 to 23:59", arguments: [
        ("00:00", 0, 0), ("2:05", 2, 5), ("23:59", 23, 59), (" 07:30 ", 7, 30),
    ])
    func goodLocalTimes(text: String, hour: Int, minute: Int) {
        #expect(LocalTime(text: text) == LocalTime(hour: hour, minute: minute))
    }

    @Test("Should refuse anything else as a time of day", arguments: [
        "", "24:00", "12:60", "12", "12:5", "123:00", "12:00:00", "-1:00", "ab:cd", "12:0a", "１２:００",
    ])
    func badLocalTimes(text: String) {
        #expect(LocalTime(text: text) == nil)
    }

    @Test("Should spell weekdays as Calendar numbers them and as the file writes them")
    func weekdays() {
        #expect(Weekday.sunday.rawValue == 1 && Weekday.saturday.rawValue == 7)
        #expect(Weekday.allCases.map(\.abbreviation) == ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
        #expect(Weekday(configurationText: "SUN") == .sunday)
        #expect(Weekday(configurationText: "Wednesday") == .wednesday)
        #expect(Weekday(configurationText: "weds") == nil)
        #expect(LocalTime(hour: 2, minute: 5).description == "02:05")
    }
}
