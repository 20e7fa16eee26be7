import Foundation
import SluiceConfig
@testable import SluiceSchedule
import SluiceTime
import Testing

@Suite("Maintenance calendar on daylight-saving days")
struct CalendarDaylightSavingTests {
    @Test("Should open a Berlin window whose 02:30 start is skipped at 03:00 local (01:00Z) on 2026-03-29")
    func berlinSpringForward() {
        let calendar = MaintenanceCalendar(windows: [window("dst", [.sunday], 2, 30, minutes: 60, in: "Europe/Berlin")], blackouts: [])
        let opening = calendar.openings(after: instant("2026-03-28T12:00:00Z"), count: 1).first
        #expect(opening?.start == instant("2026-03-29T01:00:00Z"))
        #expect(opening?.end == instant("2026-03-29T02:00:00Z"), "the duration is elapsed time from the actual start")
        #expect(!calendar.isOpen(at: instant("2026-03-29T00:59:59Z")))
        #expect(calendar.isOpen(at: instant("2026-03-29T01:00:00Z")))
        #expect(!calendar.isOpen(at: instant("2026-03-29T02:00:00Z")))
        #expect(ScheduleText.local(instant("2026-03-29T01:00:00Z"), in: zone("Europe/Berlin")) == "Sun 2026-03-29 03:00 +02:00")
    }

    @Test("Should open a Berlin window at the first of the two 02:30s (00:30Z) on 2026-10-25")
    func berlinFallBack() {
        let calendar = MaintenanceCalendar(windows: [window("dst", [.sunday], 2, 30, minutes: 60, in: "Europe/Berlin")], blackouts: [])
        let opening = calendar.openings(after: instant("2026-10-24T12:00:00Z"), count: 1).first
        #expect(opening?.start == instant("2026-10-25T00:30:00Z"))
        #expect(opening?.end == instant("2026-10-25T01:30:00Z"))
        #expect(calendar.isOpen(at: instant("2026-10-25T01:29:59Z")))
        #expect(!calendar.isOpen(at: instant("2026-10-25T01:30:00Z")), "the second 02:30 does not open it again")
        #expect(calendar.nextTransition(after: instant("2026-10-25T00:45:00Z")) == instant("2026-10-25T01:30:00Z"))
    }

    @Test("Should keep ordinary Berlin weeks at 02:30 local either side of the changes")
    func berlinOrdinaryWeeks() {
        let calendar = MaintenanceCalendar(windows: [window("dst", [.sunday], 2, 30, minutes: 60, in: "Europe/Berlin")], blackouts: [])
        let starts = calendar.openings(after: instant("2026-03-20T00:00:00Z"), count: 3).map(\.start)
        #expect(starts == [instant("2026-03-22T01:30:00Z"), instant("2026-03-29T01:00:00Z"), instant("2026-04-05T00:30:00Z")])
        let autumn = calendar.openings(after: instant("2026-10-20T00:00:00Z"), count: 2).map(\.start)
        #expect(autumn == [instant("2026-10-25T00:30:00Z"), instant("2026-11-01T01:30:00Z")])
    }

    @Test("Should open a New York window whose 02:30 start is skipped at 03:00 EDT (07:00Z) on 2026-03-08")
    func newYorkSpringForward() {
        let calendar = MaintenanceCalendar(windows: [window("dst", [.sunday], 2, 30, minutes: 30, in: "America/New_York")], blackouts: [])
        let opening = calendar.openings(after: instant("2026-03-07T00:00:00Z"), count: 1).first
        #expect(opening?.start == instant("2026-03-08T07:00:00Z"))
        #expect(opening?.end == instant("2026-03-08T07:30:00Z"))
        #expect(calendar.openInterval(at: instant("2026-03-08T07:15:00Z"))?.window == "dst")
    }

    @Test("Should open a New York window at the first of the two 01:30s (05:30Z) on 2026-11-01")
    func newYorkFallBack() {
        let calendar = MaintenanceCalendar(windows: [window("dst", [.sunday], 1, 30, minutes: 45, in: "America/New_York")], blackouts: [])
        let opening = calendar.openings(after: instant("2026-10-31T00:00:00Z"), count: 1).first
        #expect(opening?.start == instant("2026-11-01T05:30:00Z"))
        #expect(opening?.end == instant("2026-11-01T06:15:00Z"))
        #expect(!calendar.isOpen(at: instant("2026-11-01T06:30:00Z")), "the second 01:30 (EST) does not open it again")
        // 02:30 exists once on that day, in EST.
        let late = MaintenanceCalendar(windows: [window("late", [.sunday], 2, 30, minutes: 30, in: "America/New_York")], blackouts: [])
        #expect(late.openings(after: instant("2026-10-31T00:00:00Z"), count: 1).first?.start == instant("2026-11-01T07:30:00Z"))
    }
}
