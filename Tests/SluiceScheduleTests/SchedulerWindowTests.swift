import Foundation
import SluiceConfig
import Testing
@testable import SluiceSchedule

@Suite("Scheduler and the window edges")
struct SchedulerWindowTests {
    @Test("Should make a revision queued outside a window wait, then back up and apply it on the tick at the opening")
    func waitsForOpening() {
        var scheduler = Scheduler(calendar: weekend)
        #expect(scheduler.handle(.tick(now: instant("2026-06-12T10:00:00Z"))) == [.idle])
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1")])) == [.sleep(until: instant("2026-06-13T02:00:00Z"))])
        #expect(scheduler.waitingReasons["a1"] == "outside maintenance windows; next opens Sat 2026-06-13 02:00 +00:00 (weekend)")
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.revisionInFlight == "a1")
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:00:05Z"))) == [.idle])
        #expect(scheduler.waitingReasons.isEmpty)
        #expect(scheduler.revisionInFlight == nil)
    }

    @Test("Should ask for a fresh clock reading before starting on a queue change inside a window")
    func queueChangeInsideWindow() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.tick(now: instant("2026-06-13T02:10:00Z")))
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1")])) == [.sleep(until: instant("2026-06-13T02:10:00Z"))])
        // The window closed before the shell re-read the clock: nothing starts.
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T04:00:00Z"))) == [.sleep(until: instant("2026-06-14T02:00:00Z"))])
    }

    @Test("Should ask for a first clock reading when the queue arrives before any time")
    func noTimeYet() {
        var scheduler = Scheduler(calendar: weekend)
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1")])) == [.sleep(until: .distantPast)])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T03:00:00Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
    }

    @Test("Should stop after the current revision when the window closes, and run the next in the next window")
    func windowClosesBetweenRevisions() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2", after: ["a1"])]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T03:59:00Z")))
            == [.backup(revisions: ["a1", "b2"]), .apply(revision: "a1")])
        #expect(scheduler.waitingReasons["b2"] == "queued behind a1, which is being applied")
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T04:00:01Z")))
            == [.sleep(until: instant("2026-06-14T02:00:00Z"))])
        #expect(scheduler.waitingReasons["b2"] == "outside maintenance windows; next opens Sun 2026-06-14 02:00 +00:00 (weekend)")
        #expect(scheduler.handle(.tick(now: instant("2026-06-14T02:00:00Z"))) == [.backup(revisions: ["b2"]), .apply(revision: "b2")])
    }

    @Test("Should apply one revision at a time, without a second backup for what the first covered, with one for a late arrival")
    func oneAtATime() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z")))
        _ = scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2", after: ["a1"])]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:01Z"))) == [.backup(revisions: ["a1", "b2"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:02Z"))) == [])
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2", after: ["a1"]), revision("c3")])) == [])
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:00:06Z"))) == [.apply(revision: "b2")])
        // c3 arrived after the backup was taken: it gets one of its own.
        #expect(scheduler.handle(.applied(revision: "b2", now: instant("2026-06-13T02:00:11Z"))) == [.backup(revisions: ["c3"]), .apply(revision: "c3")])
    }

    @Test("Should not apply when the clock jumps forward past a whole window")
    func clockJumpsForward() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.tick(now: instant("2026-06-12T10:00:00Z")))
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1")])) == [.sleep(until: instant("2026-06-13T02:00:00Z"))])
        // Suspended through Saturday's window; wakes at 05:00.
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T05:00:00Z"))) == [.sleep(until: instant("2026-06-14T02:00:00Z"))])
        #expect(scheduler.waitingReasons["a1"] == "outside maintenance windows; next opens Sun 2026-06-14 02:00 +00:00 (weekend)")
    }

    @Test("Should not apply again what is done when the clock jumps back into the window")
    func clockJumpsBack() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1")]))
        _ = scheduler.handle(.tick(now: instant("2026-06-13T02:30:00Z")))
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:30:05Z"))) == [.idle])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:10:00Z"))) == [.idle])
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2", after: ["a1"])]))
            == [.sleep(until: instant("2026-06-13T02:10:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:10:01Z"))) == [.backup(revisions: ["b2"]), .apply(revision: "b2")])
    }

    @Test("Should make a revision whose estimate does not fit wait for the next window, saying so")
    func estimateDoesNotFit() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("big", seconds: 40)]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T03:59:48Z"))) == [.sleep(until: instant("2026-06-13T04:00:00Z"))])
        #expect(scheduler.waitingReasons["big"] == "needs 40s but only 12s left in window weekend")
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T04:00:00Z"))) == [.sleep(until: instant("2026-06-14T02:00:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-14T02:00:00Z"))) == [.backup(revisions: ["big"]), .apply(revision: "big")])
    }

    @Test("Should let a small unrelated revision run while a big one waits for a longer stretch")
    func smallRunsWhileBigWaits() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("big", seconds: 3600), revision("small", seconds: 10)]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T03:30:00Z"))) == [.backup(revisions: ["small"]), .apply(revision: "small")])
        #expect(scheduler.waitingReasons["big"] == "needs 1h but only 30m left in window weekend")
    }

    @Test("Should take another backup right before a Transaction: none revision once the database has changed")
    func backupBeforeNonTransactional() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1"), revision("vacuum", after: ["a1"], backup: true)]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z"))) == [.backup(revisions: ["a1", "vacuum"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:00:05Z")))
            == [.backup(revisions: ["vacuum"]), .apply(revision: "vacuum")])

        var first = Scheduler(calendar: weekend)
        _ = first.handle(.queueChanged(pending: [revision("vacuum", backup: true)]))
        #expect(first.handle(.tick(now: instant("2026-06-13T02:00:00Z"))) == [.backup(revisions: ["vacuum"]), .apply(revision: "vacuum")],
                "the opening's backup is fresh, so one suffices")
    }

    @Test("Should apply as soon as queued under an always-open window")
    func alwaysOpen() {
        var scheduler = Scheduler(calendar: MaintenanceCalendar(windows: [.alwaysOpen(name: "staging")], blackouts: []))
        _ = scheduler.handle(.tick(now: instant("2026-06-10T10:00:00Z")))
        #expect(scheduler.handle(.queueChanged(pending: [revision("a1", seconds: 86_400)])) == [.sleep(until: instant("2026-06-10T10:00:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-10T10:00:01Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-10T10:00:02Z"))) == [.idle])
    }
}
