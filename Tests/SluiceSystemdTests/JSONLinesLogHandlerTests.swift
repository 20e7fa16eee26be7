import Foundation
import Logging
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSystemd

/// JSON lines: each parses alone and carries the record's data.
@Suite("JSONLinesLogHandler")
struct JSONLinesLogHandlerTests {
    static func parse(_ line: Substring) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("Should write one parsable object per line with event, revision and level")
    func linesParse() throws {
        let output = withPipe { fd in
            let logger = Logger(label: "sluice") { label in JSONLinesLogHandler(label: label, level: .debug, fileDescriptor: fd) }
            logger.info("revision applied", metadata: ["event": "applied", "revision.id": "ae1027a6acf0", "duration.ms": "12"])
            logger.error("revision failed", metadata: ["event": "failed", "revision.id": "b7", "reason": "no such table: \"users\"\nline 2"])
            logger.debug("window opened", metadata: ["event": "window-opened", "revision.id": "-", "window.name": "nightly\u{2028}"])
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines.last == "")
        let objects = try lines.dropLast().map(Self.parse)
        #expect(objects.map { $0["event"] as? String } == ["applied", "failed", "window-opened"])
        #expect(objects.map { $0["revision.id"] as? String } == ["ae1027a6acf0", "b7", "-"])
        #expect(objects.map { $0["level"] as? String } == ["info", "error", "debug"])
        #expect(objects[1]["reason"] as? String == "no such table: \"users\"\nline 2")
        #expect(objects[0]["duration.ms"] as? String == "12")
        #expect(objects[0]["line"] as? Int != nil)
        #expect((objects[0]["file"] as? String)?.hasSuffix("JSONLinesLogHandlerTests.swift") == true)
        #expect(objects[0]["source"] as? String == "SluiceSystemdTests")
        let timestamp = try #require(objects[0]["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
    }

    @Test("Should write keys in a fixed order with an exact UTC timestamp")
    func exactLine() {
        let event = LogEvent(
            level: .notice, message: "window opened", metadata: ["window.name": "nightly", "event": "window-opened", "file": "x.sql"],
            source: "SluiceDaemon", file: "SluiceDaemon/W.swift", function: "f()", line: 9
        )
        let line = JSONLinesLogHandler.line(for: event, timestamp: Date(timeIntervalSince1970: 1_740_794_400.123))
        #expect(line == #"{"timestamp":"2025-03-01T02:00:00.123Z","level":"notice","message":"window opened","event":"window-opened","metadata.file":"x.sql","window.name":"nightly","source":"SluiceDaemon","file":"SluiceDaemon/W.swift","line":9}"#)
    }

    @Test("Should never interleave lines written from many threads")
    func concurrentWrites() async throws {
        let directory = TemporaryDirectory(prefix: "sluice-json")
        let path = directory.write("log.jsonl", "")
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        let handler = JSONLinesLogHandler(label: "sluice", level: .info, fileDescriptor: fd)
        let padding = String(repeating: "x", count: 5000)
        await withTaskGroup(of: Void.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    let logger = Logger(label: "sluice") { _ in handler }
                    for index in 0 ..< 50 {
                        logger.info("queued", metadata: ["event": "queued", "revision.id": "\(task)-\(index)", "padding": "\(padding)"])
                    }
                }
            }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 400)
        let ids = try lines.map { try Self.parse($0)["revision.id"] as? String }
        #expect(Set(ids.compactMap { $0 }).count == 400)
    }

    @Test("Should escape control characters so the line stays one JSON line")
    func escaping() throws {
        #expect(JSONText.quoted("a\"b\\c\n\t\u{01}é") == #""a\"b\\c\n\t\u0001é""#)
        let event = LogEvent(level: .info, message: "x\ny", metadata: ["k\n": "\u{1F}"], source: "S", file: "F", function: "f", line: 1)
        let line = JSONLinesLogHandler.line(for: event, timestamp: Date(timeIntervalSince1970: 0))
        #expect(!line.contains("\n"))
        let object = try Self.parse(Substring(line))
        #expect(object["message"] as? String == "x\ny")
        #expect(object["k\n"] as? String == "\u{1F}")
        #expect(object["timestamp"] as? String == "1970-01-01T00:00:00.000Z")
    }
}
