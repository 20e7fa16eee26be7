import Foundation
import SluiceTestSupport
import Testing

/// The metrics file, written by the daemon in this process on a manual clock, then
/// judged by the real tools: `promtool check metrics` (Prometheus' own linter) and
/// node_exporter's textfile collector, scraped over loopback.
@Suite("The metrics file", .serialized)
struct MetricsFileTests {
    /// The samples of a text-format file: `name{labels}` → value.
    private static func samples(_ path: String) -> [String: Double] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            result[String(line[..<space])] = value
        }
        return result
    }

    @Test("written at start and after every change, with the window, the queue, applies and backups; promtool and node_exporter take it")
    func writtenAndServed() async throws {
        let fixture = DaemonFixture(extra: "[metrics]\ntextfile = \"metrics/sluice.prom\"", windows: WindowClockTests.nightly)
        try FileManager.default.createDirectory(atPath: fixture.directory.url("metrics"), withIntermediateDirectories: true)
        let path = fixture.directory.url("metrics/sluice.prom")
        fixture.drop("a1_first.sql", DaemonFixture.table("a1"))
        let opening = WindowClockTests.utc("2026-06-10T02:00:00Z")
        try await InProcessDaemon.run(fixture, now: WindowClockTests.utc("2026-06-10T01:00:00Z")) { daemon in
            #expect(await daemon.wait { _ in Self.samples(path)["sluice_revisions{state=\"queued\"}"] == 1 }, "\(Self.samples(path))")
            let before = Self.samples(path)
            #expect(before["sluice_window_open"] == 0)
            #expect(before["sluice_next_window_timestamp_seconds"] == opening.timeIntervalSince1970)
            #expect(before["sluice_applies_total{outcome=\"applied\"}"] == 0)
            #expect(before["sluice_backups"] == 0)
            #expect(before["sluice_start_time_seconds"] == WindowClockTests.utc("2026-06-10T01:00:00Z").timeIntervalSince1970)
            #expect(before.keys.contains { $0.hasPrefix("sluice_build_info{version=") })

            daemon.advance(to: opening)
            #expect(await daemon.wait { _ in Self.samples(path)["sluice_applies_total{outcome=\"applied\"}"] == 1 }, "\(Self.samples(path)) events: \(daemon.events) statuses: \(daemon.statuses) timers: \(daemon.clock.deadlines)")
            let after = Self.samples(path)
            #expect(after["sluice_revisions{state=\"queued\"}"] == 0)
            #expect(after["sluice_window_open"] == 1)
            #expect(after["sluice_last_success_timestamp_seconds"] == opening.timeIntervalSince1970)
            #expect(after["sluice_apply_duration_seconds_count"] == 1)
            #expect(after["sluice_backups"] == 1)
            #expect((after["sluice_backup_bytes"] ?? 0) > 0)
            #expect(after["sluice_applies_total{outcome=\"failed\"}"] == 0)
        }

        let check = try SluiceBinary.runProgram("/usr/bin/promtool", ["check", "metrics"], input: try String(contentsOfFile: path, encoding: .utf8))
        #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")

        let scraped = try NodeExporter.scrape(textfileDirectory: fixture.directory.url("metrics"))
        #expect(scraped.contains("sluice_applies_total{outcome=\"applied\"} 1"), "\(scraped)")
        #expect(scraped.contains("node_textfile_scrape_error 0"), "\(scraped)")
    }
}

/// Debian's `prometheus-node-exporter` with only the textfile collector, on a free
/// loopback port, scraped once.
enum NodeExporter {
    static func scrape(textfileDirectory: String) throws -> String {
        let port = try SluiceBinary.runProgram("/usr/bin/python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let exporter = Process()
        exporter.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus-node-exporter")
        exporter.arguments = ["--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=\(textfileDirectory)",
                              "--web.listen-address=127.0.0.1:\(port)"]
        exporter.standardOutput = FileHandle.nullDevice
        exporter.standardError = FileHandle.nullDevice
        try exporter.run()
        defer { exporter.terminate(); exporter.waitUntilExit() }
        // Retries until the exporter listens (at most 30 s), then prints the page.
        let fetch = try SluiceBinary.runProgram("/usr/bin/python3", ["-c", """
            import sys, time, urllib.request
            for _ in range(300):
                try:
                    print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()); sys.exit(0)
                except OSError:
                    time.sleep(0.1)
            sys.exit(1)
            """, "http://127.0.0.1:\(port)/metrics"])
        return fetch.status == 0 ? fetch.stdout : "scrape failed: \(fetch.stderr)"
    }
}
