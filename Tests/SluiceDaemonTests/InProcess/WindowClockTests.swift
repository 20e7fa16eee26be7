import Foundation
import SluiceSQLite
import SluiceTestSupport
import Testing

/// The daemon in this process on a clock the test moves: window edges and retry delays
/// are crossed by moving the clock, not by waiting for them. Real files, database,
/// inotify and worker thread.
@Suite("The daemon on a manual clock", .serialized)
struct WindowClockTests {
    /// A window every day, 02:00–03:00 UTC.
    static let nightly = """
        [[window]]
        name = "nightly"
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        start = "02:00"
        duration = "1h"
        timezone = "UTC"
        """

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private static func heads(_ database: String) -> [String] {
        guard let connection = try? Connection(path: database, mode: .readOnly),
              (try? connection.tableExists("alembic_version")) == true,
              let rows = try? connection.rows("SELECT version_num FROM alembic_version ORDER BY 1") else { return [] }
        return rows.compactMap { $0.first?.text }
    }

    @Test("A revision queued before the window is applied when the clock reaches the opening, not before")
    func appliedAtTheOpening() async throws {
        let fixture = DaemonFixture(windows: Self.nightly)
        fixture.drop("a1_first.sql", DaemonFixture.table("a1"))
        try await InProcessDaemon.run(fixture, now: Self.utc("2026-06-10T01:00:00Z")) { daemon in
            #expect(await daemon.wait { $0.isReady })
            // Queued, and the loop sleeps toward the opening, five minutes at most at a time
            // (it reads the wall clock again on every wake-up).
            #expect(await daemon.wait { $0.clock.deadlines == [Self.utc("2026-06-10T01:05:00Z")] }, "\(daemon.clock.deadlines)")
            #expect(daemon.statuses.last == "1 queued · next window Wed 2026-06-10 02:00 +00:00 (nightly)", "\(daemon.statuses)")
            #expect(Self.heads(fixture.database).isEmpty)
            #expect(daemon.count("applied") == 0)

            daemon.advance(to: Self.utc("2026-06-10T01:58:00Z"))
            #expect(await daemon.wait { $0.clock.deadlines == [Self.utc("2026-06-10T02:00:00Z")] }, "\(daemon.clock.deadlines)")
            #expect(daemon.count("applied") == 0)
            #expect(Self.heads(fixture.database).isEmpty)
            daemon.advance(to: Self.utc("2026-06-10T02:00:00Z"))
            #expect(await daemon.wait { $0.count("applied") == 1 }, "\(daemon.events)")
            #expect(daemon.events.firstIndex(of: "backup-created")! < daemon.events.firstIndex(of: "applied")!)
            #expect(Self.heads(fixture.database) == ["a1"])
            #expect(await daemon.wait { $0.statuses.last?.contains("window nightly open") == true }, "\(daemon.statuses)")
        }
    }

    @Test("A revision that arrives after the window closed waits for the next day's opening")
    func arrivesAfterClose() async throws {
        let fixture = DaemonFixture(windows: Self.nightly)
        try await InProcessDaemon.run(fixture, now: Self.utc("2026-06-10T02:10:00Z")) { daemon in
            #expect(await daemon.wait { $0.isReady })
            #expect(await daemon.wait { $0.events.contains("window-opened") })
            // Idle in an open window: the loop's next wake-up is the window's close.
            #expect(await daemon.wait { $0.clock.deadlines == [Self.utc("2026-06-10T02:15:00Z")] }, "\(daemon.clock.deadlines)")
            daemon.advance(to: Self.utc("2026-06-10T02:58:00Z"))
            #expect(await daemon.wait { $0.clock.deadlines == [Self.utc("2026-06-10T03:00:00Z")] }, "\(daemon.clock.deadlines)")
            daemon.advance(to: Self.utc("2026-06-10T03:00:00Z"))
            #expect(await daemon.wait { $0.events.contains("window-closed") }, "\(daemon.events)")

            fixture.drop("b1_late.sql", DaemonFixture.table("b1"))
            #expect(await daemon.wait { $0.statuses.last == "1 queued · next window Thu 2026-06-11 02:00 +00:00 (nightly)" }, "\(daemon.statuses)")
            #expect(daemon.count("applied") == 0)
            #expect(Self.heads(fixture.database).isEmpty)

            daemon.advance(to: Self.utc("2026-06-11T02:00:01Z"))
            #expect(await daemon.wait { $0.count("applied") == 1 }, "\(daemon.events)")
            #expect(Self.heads(fixture.database) == ["b1"])
        }
    }

    @Test("An application holding the write lock makes the apply busy; it is retried after the delay, within the window")
    func busyThenRetried() async throws {
        let fixture = DaemonFixture(windows: Self.nightly)
        let application = try Connection(path: fixture.database, mode: .readWriteCreate)
        try application.execute("CREATE TABLE app (x)")
        try await InProcessDaemon.run(fixture, now: Self.utc("2026-06-10T02:30:00Z")) { daemon in
            #expect(await daemon.wait { $0.isReady })
            // The application takes the write lock and keeps it until the daemon gives up.
            try application.execute("BEGIN IMMEDIATE")
            try application.execute("INSERT INTO app VALUES (1)")
            fixture.drop("c1_next.sql", DaemonFixture.table("c1"))
            #expect(await daemon.wait { $0.count("busy") == 1 }, "\(daemon.events)")
            #expect(daemon.count("failed") == 0)
            // The retry's timer is armed just after the `busy` record: wait for it to
            // replace the window's close as the next wake-up.
            #expect(await daemon.wait { $0.clock.deadlines.first.map { $0 < Self.utc("2026-06-10T03:00:00Z") } == true }, "\(daemon.clock.deadlines)")
            let retry = try #require(daemon.clock.deadlines.first)
            #expect(retry > Self.utc("2026-06-10T02:30:00Z") && retry < Self.utc("2026-06-10T03:00:00Z"), "\(retry)")

            try application.execute("COMMIT")
            daemon.advance(to: retry)
            #expect(await daemon.wait { $0.count("applied") == 1 }, "\(daemon.events)")
            #expect(daemon.count("failed") == 0)
            #expect(Self.heads(fixture.database) == ["c1"])
        }
    }
}
