import Foundation
import Logging
import SluiceTestSupport
import Testing
import SluiceSystemd

/// Readable one-line records for a terminal.
@Suite("TextLogHandler")
struct TextLogHandlerTests {
    @Test("Should write time, level, message, then event and sorted key=value pairs")
    func layout() {
        let event = LogEvent(
            level: .info, message: "revision applied",
            metadata: ["revision.id": "ae1027a6acf0", "event": "applied", "duration.ms": "12"],
            source: "S", file: "F", function: "f", line: 1
        )
        let line = TextLogHandler.line(for: event, timestamp: Date(timeIntervalSince1970: 1_740_794_400.25))
        #expect(line.wholeMatch(of: /\d\d:\d\d:\d\d\.250 info     revision applied event=applied duration\.ms=12 revision\.id=ae1027a6acf0/) != nil)
    }

    @Test("Should quote values with spaces and keep a record on one line")
    func quoting() {
        let event = LogEvent(
            level: .critical, message: "cannot\ncontinue",
            metadata: ["reason": "no such table: \"users\"", "path": "/var/lib/x y", "empty": ""],
            source: "S", file: "F", function: "f", line: 1
        )
        let line = TextLogHandler.line(for: event, timestamp: Date(timeIntervalSince1970: 0))
        #expect(line.contains(#"critical cannot\ncontinue empty="" path="/var/lib/x y" reason="no such table: \"users\"""#))
        #expect(!line.contains("\n"))
    }

    @Test("Should write through a Logger to its descriptor")
    func writes() {
        let output = withPipe { fd in
            let logger = Logger(label: "sluice") { label in TextLogHandler(label: label, level: .info, fileDescriptor: fd) }
            logger.debug("hidden")
            logger.warning("held", metadata: ["event": "failed"])
        }
        #expect(output.hasSuffix("warning  held event=failed\n"))
        #expect(!output.contains("hidden"))
    }
}
