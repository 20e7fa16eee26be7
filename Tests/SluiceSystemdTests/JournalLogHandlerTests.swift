import Foundation
import Logging
import SluiceCore
@testable import SluiceSystemd
import SluiceOS
import SluiceTestSupport
import Testing

/// The journal entry built for a record, and what happens when journald refuses it.
@Suite("JournalLogHandler")
struct JournalLogHandlerTests {
    static func appliedEvent(level: Logger.Level = .info) -> LogEvent {
        LogEvent(
            level: level,
            message: "revision applied",
            metadata: ["event": "applied", "revision.id": "ae1027a6acf0", "file": "0042_add_index.sql", "duration.ms": .stringConvertible(12)],
            source: "SluiceDaemon",
            file: "SluiceDaemon/MigrationService.swift",
            function: "apply(_:)",
            line: 87
        )
    }

    @Test("Should build MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, MESSAGE_ID, CODE_* and SLUICE_* fields")
    func fieldsForApplied() {
        let fields = JournalLogHandler.fields(for: Self.appliedEvent())
        #expect(fields == [
            JournalField("MESSAGE", "revision applied"),
            JournalField("PRIORITY", "6"),
            JournalField("SYSLOG_IDENTIFIER", "sluice"),
            JournalField("MESSAGE_ID", SluiceMessageID.applied),
            JournalField("CODE_FILE", "SluiceDaemon/MigrationService.swift"),
            JournalField("CODE_LINE", "87"),
            JournalField("CODE_FUNC", "apply(_:)"),
            JournalField("SLUICE_DURATION_MS", "12"),
            JournalField("SLUICE_EVENT", "applied"),
            JournalField("SLUICE_FILE", "0042_add_index.sql"),
            JournalField("SLUICE_REVISION_ID", "ae1027a6acf0"),
        ])
        #expect(fields.allSatisfy { JournalFieldName.isValid($0.name) })
    }

    @Test("Should map levels to syslog priorities", arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func priorities(level: Logger.Level, priority: Int) {
        #expect(JournalLogHandler.priority(for: level) == priority)
        let fields = JournalLogHandler.fields(for: Self.appliedEvent(level: level))
        #expect(fields.first { $0.name == "PRIORITY" }?.value == String(priority))
    }

    @Test("Should merge handler, provider and call-site metadata, the call site winning")
    func metadataMerging() {
        var handler = JournalLogHandler(label: "test", metadataProvider: Logger.MetadataProvider { ["window.name": "nightly"] })
        handler[metadataKey: "event"] = "queued"
        let context = LogRecord.contextMetadata(handler: handler.metadata, provider: handler.metadataProvider)
        let fields = JournalLogHandler.fields(for: Self.appliedEvent(), contextMetadata: context)
        #expect(fields.contains(JournalField("SLUICE_EVENT", "applied")))
        #expect(!fields.contains(JournalField("SLUICE_EVENT", "queued")))
        #expect(fields.contains(JournalField("SLUICE_WINDOW_NAME", "nightly")))
    }

    @Test("Should flatten nested metadata, fold in the error, and omit MESSAGE_ID for other events")
    func otherRecords() {
        struct Failure: Error, CustomStringConvertible { var description: String { "disk full" } }
        let event = LogEvent(
            level: .warning, message: "watcher overflow", error: Failure(),
            metadata: ["event": "overflow", "revision": ["id": "abc", "parent": "def"]],
            source: nil, file: "F.swift", function: "f()", line: 1
        )
        let fields = JournalLogHandler.fields(for: event)
        #expect(!fields.contains { $0.name == "MESSAGE_ID" })
        #expect(fields.contains(JournalField("SLUICE_REVISION_ID", "abc")))
        #expect(fields.contains(JournalField("SLUICE_REVISION_PARENT", "def")))
        #expect(fields.contains(JournalField("SLUICE_ERROR", "disk full")))
    }

    @Test("Should choose MESSAGE_IDs by event, forgiving separators and case")
    func messageIDs() {
        #expect(SluiceMessageID.id(forEvent: "applied") == SluiceMessageID.applied)
        #expect(SluiceMessageID.id(forEvent: "window_opened") == SluiceMessageID.windowOpened)
        #expect(SluiceMessageID.id(forEvent: "Window.Closed") == SluiceMessageID.windowClosed)
        #expect(SluiceMessageID.id(forEvent: "reloaded") == SluiceMessageID.reload)
        #expect(SluiceMessageID.id(forEvent: "discovered") == nil)
        let ids = SluiceMessageID.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }

    @Test("Should get EINVAL, not a crash, for an entry journald would refuse, and send nothing")
    func sendError() throws {
        func code(_ result: Result<Void, Errno>) -> Int32? {
            if case .failure(let error) = result { return error.rawValue }
            return nil
        }
        let receiver = try JournalSocketReceiver()
        let socket = JournalSocket(path: receiver.path)
        #expect(code(socket.send([JournalField("", "no name")])) == EINVAL)
        #expect(code(socket.send([])) == EINVAL)
        #expect(receiver.receive(timeout: 50) == nil)
    }

    @Test("Should write a JSON line to the fallback descriptor when journald refuses")
    func fallback() throws {
        let output = withPipe { fd in
            let handler = JournalLogHandler(label: "test", level: .info, fallbackFileDescriptor: fd, metadataProvider: nil) { _ in
                .failure(Errno(rawValue: ECONNREFUSED))
            }
            handler.log(event: Self.appliedEvent())
        }
        let object = try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "revision applied")
        #expect(object["journal.errno"] as? String == String(ECONNREFUSED))
        #expect(object["revision.id"] as? String == "ae1027a6acf0")
    }
}
