import Foundation
import SluiceConfig
import Testing
@testable import SluiceSchedule

@Suite("Scheduler and revision outcomes")
struct SchedulerOutcomeTests {
    @Test("Should hold a failed revision's descendants only, and release them when its file changes")
    func failureHoldsDescendants() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [
            revision("a1"), revision("b2", after: ["a1"]), revision("c3", after: ["b2"]), revision("x9"),
        ]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z")))
            == [.backup(revisions: ["a1", "b2", "c3", "x9"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.failed(revision: "a1", now: instant("2026-06-13T02:00:05Z"))) == [.apply(revision: "x9")])
        #expect(scheduler.waitingReasons["a1"] == "failed; held until its file changes")
        #expect(scheduler.waitingReasons["b2"] == "held back: ancestor a1 failed")
        #expect(scheduler.waitingReasons["c3"] == "held back: ancestor a1 failed")
        #expect(scheduler.failedRevisions == ["a1"])
        #expect(scheduler.handle(.applied(revision: "x9", now: instant("2026-06-13T02:00:10Z"))) == [.idle])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:30:00Z"))) == [.idle], "only held revisions remain")

        #expect(scheduler.handle(.fileChanged(revision: "a1")) == [.sleep(until: instant("2026-06-13T02:30:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:30:01Z"))) == [.apply(revision: "a1")])
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:30:05Z"))) == [.apply(revision: "b2")])
        #expect(scheduler.handle(.applied(revision: "b2", now: instant("2026-06-13T02:30:10Z"))) == [.apply(revision: "c3")])
    }

    @Test("Should apply again, after a fresh backup, a revision another process took out of the database")
    func unappliedByOthers() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1")]))
        let now = instant("2026-06-13T02:00:00Z")
        #expect(scheduler.handle(.tick(now: now)) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.applied(revision: "a1", now: now.addingTimeInterval(1))) == [.idle])
        // Without the event, a stale queue listing a1 again never starts it twice.
        _ = scheduler.handle(.queueChanged(pending: [revision("a1")]))
        #expect(scheduler.handle(.tick(now: now.addingTimeInterval(2))) == [.idle])
        // Taken out by a manual downgrade: applied again, with a backup of the database as it is now.
        _ = scheduler.handle(.unapplied(revisions: ["a1"]))
        #expect(scheduler.handle(.tick(now: now.addingTimeInterval(3))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
    }

    @Test("Should hold a merge revision when either parent failed")
    func mergeHeldByEitherParent() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("l1"), revision("r1"), revision("m1", after: ["l1", "r1"])]))
        _ = scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z")))
        #expect(scheduler.handle(.applied(revision: "l1", now: instant("2026-06-13T02:00:05Z"))) == [.apply(revision: "r1")])
        #expect(scheduler.handle(.failed(revision: "r1", now: instant("2026-06-13T02:00:10Z"))) == [.idle])
        #expect(scheduler.waitingReasons["m1"] == "held back: ancestor r1 failed")
    }

    @Test("Should retry a revision that hit a full disk after 30 s doubling, not hold it; a reload retries at once")
    func diskFullRetries() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2", after: ["a1"])]))
        let now = instant("2026-06-13T02:00:00Z")
        #expect(scheduler.handle(.tick(now: now)) == [.backup(revisions: ["a1", "b2"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.diskFull(revision: "a1", now: now)) == [.sleep(until: now.addingTimeInterval(30))])
        #expect(scheduler.failedRevisions.isEmpty, "a full disk is not the revision's fault")
        #expect(scheduler.waitingReasons["a1"]?.hasPrefix("the disk was full") == true, "\(scheduler.waitingReasons)")
        let later = now.addingTimeInterval(30)
        #expect(scheduler.handle(.tick(now: later)) == [.apply(revision: "a1")])
        #expect(scheduler.handle(.diskFull(revision: "a1", now: later)) == [.sleep(until: later.addingTimeInterval(60))])
        scheduler.retryNow()
        #expect(scheduler.handle(.tick(now: later.addingTimeInterval(1))) == [.apply(revision: "a1")])
        #expect(scheduler.handle(.applied(revision: "a1", now: later.addingTimeInterval(2))) == [.apply(revision: "b2")])
    }

    @Test("Should retry a busy revision in the same window with a back-off growing to 10s, capped at the window end")
    func busyRetries() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1")]))
        var now = instant("2026-06-13T03:00:00Z")
        #expect(scheduler.handle(.tick(now: now)) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        for delay in [1.0, 2, 4, 8, 10, 10] {
            #expect(scheduler.handle(.busy(revision: "a1", now: now)) == [.sleep(until: now.addingTimeInterval(delay))])
            #expect(scheduler.waitingReasons["a1"]?.hasPrefix("database busy") == true)
            #expect(scheduler.handle(.tick(now: now.addingTimeInterval(delay / 2))) == [.sleep(until: now.addingTimeInterval(delay))],
                    "an early wake-up does not cut the back-off short")
            now = now.addingTimeInterval(delay)
            #expect(scheduler.handle(.tick(now: now)) == [.apply(revision: "a1")], "retried without a second backup")
        }
        let nearEnd = instant("2026-06-13T03:59:55Z")
        #expect(scheduler.handle(.busy(revision: "a1", now: nearEnd)) == [.sleep(until: instant("2026-06-13T04:00:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T04:00:00Z"))) == [.sleep(until: instant("2026-06-14T02:00:00Z"))])
        #expect(scheduler.handle(.tick(now: instant("2026-06-14T02:00:00Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.busy(revision: "a1", now: instant("2026-06-14T02:00:01Z")))
            == [.sleep(until: instant("2026-06-14T02:00:02Z"))], "a new opening starts the back-off afresh")
    }

    @Test("Should retry a failed backup later and never apply without it")
    func backupFails() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1")]))
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.backupFailed(now: instant("2026-06-13T02:00:01Z"))) == [.sleep(until: instant("2026-06-13T02:00:31Z"))])
        #expect(scheduler.revisionInFlight == nil)
        #expect(scheduler.waitingReasons["a1"]?.hasPrefix("the backup before the run failed") == true)
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:31Z"))) == [.backup(revisions: ["a1"]), .apply(revision: "a1")])
        #expect(scheduler.handle(.backupFailed(now: instant("2026-06-13T02:00:32Z"))) == [.sleep(until: instant("2026-06-13T02:01:32Z"))])
    }

    @Test("Should answer a stop request with stop and nothing more")
    func stop() {
        var scheduler = Scheduler(calendar: weekend)
        _ = scheduler.handle(.queueChanged(pending: [revision("a1"), revision("b2")]))
        _ = scheduler.handle(.tick(now: instant("2026-06-13T02:00:00Z")))
        #expect(scheduler.handle(.stopRequested) == [.stop])
        #expect(scheduler.handle(.applied(revision: "a1", now: instant("2026-06-13T02:00:05Z"))) == [])
        #expect(scheduler.handle(.tick(now: instant("2026-06-13T02:00:06Z"))) == [])
        #expect(scheduler.handle(.stopRequested) == [])
    }

    @Test("Should go idle when nothing is pending and when no window ever opens")
    func idle() {
        var empty = Scheduler(calendar: weekend)
        #expect(empty.handle(.tick(now: instant("2026-06-13T02:00:00Z"))) == [.idle])
        #expect(empty.handle(.queueChanged(pending: [])) == [.idle])

        var never = Scheduler(calendar: MaintenanceCalendar(windows: [], blackouts: []))
        _ = never.handle(.tick(now: instant("2026-06-13T02:00:00Z")))
        #expect(never.handle(.queueChanged(pending: [revision("a1")])) == [.idle])
        #expect(never.waitingReasons["a1"] == "outside maintenance windows; no window opens again")
    }
}
