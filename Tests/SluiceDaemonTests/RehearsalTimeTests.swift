import Foundation
import SluiceTestSupport
import Testing

/// The state file and the log tell a rehearsal's whole cost apart from its upgrade's,
/// which is the estimate for fitting a window.
@Suite("Rehearsal time")
struct RehearsalTimeTests {
    @Test("rehearsal_ms counts the downgrade and the second upgrade; upgrade_ms only the upgrade")
    func wholeRehearsal() throws {
        let fixture = DaemonFixture()
        // A quick upgrade and a downgrade with real work in it.
        fixture.drop("t1_base.sql", RevisionText.make("t1", upgrade: "CREATE TABLE t (x INTEGER);", downgrade: """
            SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT x FROM c);
            DROP TABLE t;
            """))
        let daemon = try fixture.start()
        #expect(daemon.wait(timeout: .seconds(60)) { daemon.queue() == ["t1"] }, "\(daemon.log)")
        let queued = ((daemon.state()?["view"] as? [String: Any])?["queue"] as? [[String: Any]])?.first ?? [:]
        let total = queued["rehearsal_ms"] as? Int ?? -1
        let upgrade = queued["upgrade_ms"] as? Int ?? -1
        #expect(upgrade >= 0 && total > upgrade, "\(queued)")
        #expect(daemon.log.contains("rehearsal.ms=\(total)") && daemon.log.contains("upgrade.ms=\(upgrade)"), "\(daemon.log)")
    }
}
