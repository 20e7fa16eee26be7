import SluiceTestSupport
import Testing
@testable import SluiceSystemd

/// The text of each sd_notify field.
@Suite("NotifyField")
struct NotifyFieldTests {
    @Test("Should render each field as systemd spells it", arguments: [
        (NotifyField.ready, "READY=1"),
        (.reloading, "RELOADING=1"),
        (.stopping, "STOPPING=1"),
        (.watchdog, "WATCHDOG=1"),
        (.status("idle · 0 pending"), "STATUS=idle · 0 pending"),
        (.extendTimeout(.seconds(10)), "EXTEND_TIMEOUT_USEC=10000000"),
        (.extendTimeout(.nanoseconds(1_500)), "EXTEND_TIMEOUT_USEC=2"),
        (.extendTimeout(.milliseconds(-5)), "EXTEND_TIMEOUT_USEC=0"),
        (.monotonic(microseconds: 123_456), "MONOTONIC_USEC=123456"),
        (.errno(5), "ERRNO=5"),
        (.mainPID(4242), "MAINPID=4242"),
    ])
    func assignment(field: NotifyField, expected: String) {
        #expect(field.assignment == expected)
    }

    @Test("Should keep STATUS on one line without NUL bytes")
    func statusSanitised() {
        #expect(NotifyField.status("a\nb\r\nc\n\nd\0e").assignment == "STATUS=a b c de")
    }

    @Test("Should cut a very long STATUS at a character boundary")
    func statusTruncated() {
        let text = String(repeating: "é", count: NotifyField.maximumStatusBytes)
        let value = NotifyField.status(text).assignment.dropFirst("STATUS=".count)
        #expect(value.utf8.count <= NotifyField.maximumStatusBytes)
        #expect(value.utf8.count >= NotifyField.maximumStatusBytes - 1)
        #expect(value.allSatisfy { $0 == "é" })
    }

    @Test("Should read MONOTONIC_USEC from a clock that never goes back")
    func monotonicNow() {
        guard case .monotonic(let first) = NotifyField.monotonicNow(),
              case .monotonic(let second) = NotifyField.monotonicNow() else {
            Issue.record("monotonicNow() is not .monotonic")
            return
        }
        #expect(first > 0)
        #expect(second >= first)
    }

    @Test("Should join fields with newlines and no trailing newline")
    func datagram() {
        #expect(Notifier.datagram([.reloading, .monotonic(microseconds: 7)]) == "RELOADING=1\nMONOTONIC_USEC=7")
    }
}
