import Foundation
import SluiceConfig
@testable import SluiceSchedule
import SluiceTime
import Testing

@Suite("Schedule text and civil days")
struct ScheduleTextTests {
    @Test("Should write spans in the largest units, rounding as asked")
    func spans() {
        #expect(ScheduleText.span(40, rounding: .up) == "40s")
        #expect(ScheduleText.span(39.2, rounding: .up) == "40s")
        #expect(ScheduleText.span(12.9, rounding: .down) == "12s")
        #expect(ScheduleText.span(150, rounding: .down) == "2m30s")
        #expect(ScheduleText.span(3600, rounding: .down) == "1h")
        #expect(ScheduleText.span(2 * 86_400 + 3 * 3600, rounding: .down) == "2d3h")
        #expect(ScheduleText.span(-5, rounding: .down) == "0s")
    }

    @Test("Should convert civil dates and weekdays both ways")
    func civilDays() {
        #expect(CivilDay(year: 1970, month: 1, day: 1).number == 0)
        #expect(CivilDay(year: 1970, month: 1, day: 1).weekday == 5, "a Thursday")
        #expect(CivilDay(year: 2026, month: 3, day: 29).weekday == 1, "a Sunday")
        #expect(CivilDay(year: 1969, month: 12, day: 28).weekday == 1, "a Sunday before the epoch")
        let leap = CivilDay(year: 2000, month: 2, day: 29)
        #expect(leap.date == (2000, 2, 29))
        #expect(CivilDay(number: leap.number + 1).date == (2000, 3, 1))
        #expect(CivilDay(containing: instant("2026-06-07T23:00:00Z"), in: zone("Europe/Berlin")).date == (2026, 6, 8))
    }

    @Test("Should write instants in UTC and in a window's zone")
    func instants() {
        #expect(ScheduleText.utc(instant("2027-01-09T01:00:00Z")) == "2027-01-09T01:00:00Z")
        #expect(ScheduleText.local(instant("2026-11-01T05:30:00Z"), in: zone("America/New_York")) == "Sun 2026-11-01 01:30 -04:00")
        #expect(ScheduleText.local(instant("2026-11-01T06:30:00Z"), in: zone("America/New_York")) == "Sun 2026-11-01 01:30 -05:00")
    }
}
