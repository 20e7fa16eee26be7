import Foundation
import SluiceConfig
@testable import SluiceSchedule
import SluiceTime
import Testing

@Suite("Maintenance calendar windows")
struct CalendarWindowTests {
    @Test("Should keep a Sunday 23:00 window for 3h open past midnight into Monday")
    func acrossMidnight() {
        // Berlin in June is UTC+2: Sun 2026-06-07 23:00 local = 21:00Z, Mon 02:00 local = 00:00Z.
        let calendar = MaintenanceCalendar(windows: [window("late", [.sunday], 23, 0, minutes: 180, in: "Europe/Berlin")], blackouts: [])
        #expect(!calendar.isOpen(at: instant("2026-06-07T20:59:59Z")))
        #expect(calendar.isOpen(at: instant("2026-06-07T21:00:00Z")))
        let monday1am = calendar.openInterval(at: instant("2026-06-07T23:00:00Z"))
        #expect(monday1am == OpenInterval(window: "late", start: instant("2026-06-07T21:00:00Z"),
                                          end: instant("2026-06-08T00:00:00Z"), timeZone: zone("Europe/Berlin")))
        #expect(!calendar.isOpen(at: instant("2026-06-08T00:00:00Z")), "closed at Mon 02:00 local")
        #expect(!calendar.isOpen(at: instant("2026-06-08T21:30:00Z")), "Monday 23:30 is not a window day")
        #expect(calendar.nextTransition(after: instant("2026-06-07T23:00:00Z")) == instant("2026-06-08T00:00:00Z"))
        #expect(calendar.nextTransition(after: instant("2026-06-08T00:00:00Z")) == instant("2026-06-14T21:00:00Z"))
    }

    @Test("Should list several windows together in time order")
    func severalWindows() {
        let calendar = MaintenanceCalendar(windows: [
            window("weekend", [.saturday, .sunday], 2, 0, minutes: 120, in: "Europe/Berlin"),
            window("nights", [.monday, .tuesday, .wednesday, .thursday, .friday], 22, 0, minutes: 120),
        ], blackouts: [])
        // Friday 2026-06-12.
        #expect(spans(calendar.openings(after: instant("2026-06-12T00:00:00Z"), count: 4)) == [
            "nights 2026-06-12T22:00:00Z–2026-06-13T00:00:00Z",
            "weekend 2026-06-13T00:00:00Z–2026-06-13T02:00:00Z",
            "weekend 2026-06-14T00:00:00Z–2026-06-14T02:00:00Z",
            "nights 2026-06-15T22:00:00Z–2026-06-16T00:00:00Z",
        ])
        #expect(calendar.nextTransition(after: instant("2026-06-12T23:00:00Z")) == instant("2026-06-13T00:00:00Z"))
        #expect(calendar.openInterval(at: instant("2026-06-13T00:00:00Z"))?.window == "weekend",
                "a window opening as another closes takes over at that instant")
    }

    @Test("Should report overlapping windows separately and answer with the one that ends last")
    func overlappingWindows() {
        let calendar = MaintenanceCalendar(windows: [
            window("long", [.saturday], 1, 0, minutes: 180),
            window("inner", [.saturday], 2, 0, minutes: 60),
            window("early", [.saturday], 1, 0, minutes: 60),
        ], blackouts: [])
        #expect(spans(calendar.openings(after: instant("2026-06-12T00:00:00Z"), count: 3)) == [
            "early 2026-06-13T01:00:00Z–2026-06-13T02:00:00Z",
            "long 2026-06-13T01:00:00Z–2026-06-13T04:00:00Z",
            "inner 2026-06-13T02:00:00Z–2026-06-13T03:00:00Z",
        ])
        #expect(calendar.openInterval(at: instant("2026-06-13T02:30:00Z"))?.window == "long")
        #expect(calendar.nextTransition(after: instant("2026-06-13T01:30:00Z")) == instant("2026-06-13T02:00:00Z"))
    }

    @Test("Should list the interval open at the date first only when asked to")
    func includingCurrent() {
        let calendar = MaintenanceCalendar(windows: [window("weekend", [.saturday, .sunday], 2, 0, minutes: 120)], blackouts: [])
        let during = instant("2026-06-13T03:00:00Z")
        #expect(calendar.openings(after: during, count: 1).first?.start == instant("2026-06-13T02:00:00Z"))
        #expect(calendar.openings(after: during, count: 1, includingCurrent: false).first?.start == instant("2026-06-14T02:00:00Z"))
        #expect(calendar.openings(after: during, count: 0).isEmpty)
    }

    @Test("Should keep an always-open window open at any date, with no transition")
    func alwaysOpen() {
        let calendar = MaintenanceCalendar(windows: [.alwaysOpen(name: "staging")], blackouts: [])
        for text in ["1990-01-01T00:00:00Z", "2026-03-29T01:30:00Z", "2100-12-31T23:59:59Z"] {
            let interval = calendar.openInterval(at: instant(text))
            #expect(interval?.window == "staging")
            #expect(interval?.start == .distantPast && interval?.end == .distantFuture)
        }
        #expect(calendar.nextTransition(after: instant("2026-06-13T00:00:00Z")) == nil)
        #expect(calendar.openings(after: instant("2026-06-13T00:00:00Z"), count: 3).count == 1)
    }

    @Test("Should never open without windows")
    func noWindows() {
        let calendar = MaintenanceCalendar(windows: [], blackouts: [blackout("2026-12-20T00:00:00Z", "2027-01-05T00:00:00Z")])
        #expect(!calendar.isOpen(at: instant("2026-06-13T00:00:00Z")))
        #expect(calendar.openings(after: instant("2026-06-13T00:00:00Z"), count: 3).isEmpty)
        #expect(calendar.nextTransition(after: instant("2026-06-13T00:00:00Z")) == nil)
    }
}
