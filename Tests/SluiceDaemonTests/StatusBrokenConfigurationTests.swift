import Foundation
import SluiceTestSupport
import Testing

/// An edit that breaks the configuration file does not blind `sluice status`: it shows
/// what the running daemon uses (its last good configuration, from the state file) and
/// the error, and exits 2 for the broken file.
@Suite("status with a broken configuration file")
struct StatusBrokenConfigurationTests {
    @Test("the running daemon's state and configuration are shown beside the error", arguments: [false, true])
    func brokenFile(json: Bool) throws {
        let fixture = DaemonFixture()
        fixture.drop("b1_base.sql", DaemonFixture.table("b1"))
        let daemon = try fixture.start()
        #expect(daemon.wait { daemon.queue() == ["b1"] }, "\(daemon.log)")
        let good = try String(contentsOfFile: fixture.config, encoding: .utf8)
        try (good + "\nsettle = \"not a duration\"\n").write(toFile: fixture.config, atomically: true, encoding: .utf8)

        let status = try SluiceBinary.run(["status", "--config", fixture.config] + (json ? ["--json"] : []))
        #expect(status.status == 2)
        #expect(status.stderr.contains("settle"), "\(status.stderr)")
        if json {
            let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(object["pid"] as? Int == Int(daemon.pid), "\(status.stdout)")
            #expect((object["configuration_error"] as? String)?.contains("settle") == true, "\(status.stdout)")
            #expect(((object["configuration"] as? [String: Any])?["path"] as? String) == fixture.config, "\(status.stdout)")
        } else {
            #expect(status.stdout.contains("daemon pid \(daemon.pid)"), "\(status.stdout)")
            #expect(status.stdout.contains("b1"), "\(status.stdout)")
            #expect(status.stdout.contains("running with the configuration loaded"), "\(status.stdout)")
            #expect(status.stdout.contains("windows staging"), "\(status.stdout)")
        }
    }
}
