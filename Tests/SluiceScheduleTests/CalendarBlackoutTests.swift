import Foundation
import SluiceConfig
@testable import SluiceSchedule
import SluiceTime
import Testing

@Suite("Maintenance calendar blackouts")
struct CalendarBlackoutTests {
    @Test("Should close the part of a window inside a blackout and keep the rest open")
    func partialBlackout() {
        let calendar = MaintenanceCalendar(
            windows: [window("saturday", [.saturday], 2, 0, minutes: 240)],
            blackouts: [blackout("2026-06-13T03:00:00Z", "2026-06-13T04:00:00Z", name: "deploy")])
        #expect(calendar.openInterval(at: instant("2026-06-13T02:30:00Z"))?.end == instant("2026-06-13T03:00:00Z"))
        #expect(!calendar.isOpen(at: instant("2026-06-13T03:00:00Z")))
        #expect(!calendar.isOpen(at: instant("2026-06-13T03:59:59Z")))
        #expect(calendar.openInterval(at: instant("2026-06-13T05:00:00Z"))?.start == instant("2026-06-13T04:00:00Z"))
        #expect(spans(calendar.openings(after: instant("2026-06-12T00:00:00Z"), count: 3)) == [
            "saturday 2026-06-13T02:00:00Z–2026-06-13T03:00:00Z",
            "saturday 2026-06-13T04:00:00Z–2026-06-13T06:00:00Z",
            "saturday 2026-06-20T02:00:00Z–2026-06-20T06:00:00Z",
        ])
        #expect(calendar.nextTransition(after: instant("2026-06-13T02:30:00Z")) == instant("2026-06-13T03:00:00Z"))
        #expect(calendar.nextTransition(after: instant("2026-06-13T03:00:00Z")) == instant("2026-06-13T04:00:00Z"))
    }

    @Test("Should merge overlapping and touching blackouts into one closed stretch")
    func mergedBlackouts() {
        let calendar = MaintenanceCalendar(
            windows: [window("saturday", [.saturday], 2, 0, minutes: 240)],
            blackouts: [blackout("2026-06-13T03:30:00Z", "2026-06-13T04:00:00Z"),
                        blackout("2026-06-13T03:00:00Z", "2026-06-13T03:45:00Z"),
                        blackout("2026-06-13T04:00:00Z", "2026-06-13T05:00:00Z")])
        #expect(spans(calendar.openings(after: instant("2026-06-12T00:00:00Z"), count: 2)) == [
            "saturday 2026-06-13T02:00:00Z–2026-06-13T03:00:00Z",
            "saturday 2026-06-13T05:00:00Z–2026-06-13T06:00:00Z",
        ])
    }

    @Test("Should cut an always-open window by a blackout")
    func alwaysOpenCut() {
        let calendar = MaintenanceCalendar(windows: [.alwaysOpen(name: "staging")],
                                           blackouts: [blackout("2026-12-20T00:00:00Z", "2027-01-05T00:00:00Z")])
        let before = calendar.openInterval(at: instant("2026-12-01T00:00:00Z"))
        #expect(before?.start == .distantPast && before?.end == instant("2026-12-20T00:00:00Z"))
        #expect(!calendar.isOpen(at: instant("2026-12-25T00:00:00Z")))
        let after = calendar.openInterval(at: instant("2027-01-05T00:00:00Z"))
        #expect(after?.start == instant("2027-01-05T00:00:00Z") && after?.end == .distantFuture)
        #expect(calendar.nextTransition(after: instant("2026-12-01T00:00:00Z")) == instant("2026-12-20T00:00:00Z"))
        #expect(calendar.nextTransition(after: instant("2026-12-25T00:00:00Z")) == instant("2027-01-05T00:00:00Z"))
        #expect(calendar.nextTransition(after: instant("2027-01-06T00:00:00Z")) == nil)
        #expect(calendar.openings(after: instant("2026-12-25T00:00:00Z"), count: 1).first?.start == instant("2027-01-05T00:00:00Z"))
    }

    @Test("Should list the SPEC §7 example's openings around the year-end blackout")
    func specExample() {
        let calendar = MaintenanceCalendar(
            windows: [window("weekend", [.saturday, .sunday], 2, 0, minutes: 120, in: "Europe/Berlin")],
            blackouts: [blackout("2026-12-20T00:00:00Z", "2027-01-05T00:00:00Z")])
        // Sat 2026-12-19 02:00 CET is still before the blackout; Sun 20th to Sun 3rd are inside it.
        #expect(calendar.openings(after: instant("2026-12-18T00:00:00Z"), count: 3).map(\.start) == [
            instant("2026-12-19T01:00:00Z"), instant("2027-01-09T01:00:00Z"), instant("2027-01-10T01:00:00Z"),
        ])
        let next = calendar.openings(after: instant("2026-12-19T03:00:00Z"), count: 1).first
        #expect(next?.start == instant("2027-01-09T01:00:00Z"))
        #expect(next?.end == instant("2027-01-09T03:00:00Z"))
        #expect(ScheduleText.local(instant("2027-01-09T01:00:00Z"), in: zone("Europe/Berlin")) == "Sat 2027-01-09 02:00 +01:00")
        #expect(calendar.nextTransition(after: instant("2026-12-19T03:00:00Z")) == instant("2027-01-09T01:00:00Z"))
    }

    @Test("Should find the next opening after a blackout longer than the search's first horizon")
    func longBlackout() {
        let calendar = MaintenanceCalendar(
            windows: [window("weekend", [.saturday], 2, 0, minutes: 120)],
            blackouts: [blackout("2026-06-01T00:00:00Z", "2027-06-01T00:00:00Z")])
        // 2027-06-05 is the first Saturday after the blackout.
        #expect(calendar.openings(after: instant("2026-06-02T00:00:00Z"), count: 1).first?.start == instant("2027-06-05T02:00:00Z"))
        #expect(calendar.nextTransition(after: instant("2026-06-02T00:00:00Z")) == instant("2027-06-05T02:00:00Z"))
    }
}
