import SluiceTestSupport
import Testing
import SluiceSystemd

/// Metadata keys to journal field names that journald accepts.
@Suite("JournalFieldName")
struct JournalFieldNameTests {
    @Test("Should map metadata keys to SLUICE_ field names", arguments: [
        ("revision.id", "SLUICE_REVISION_ID"),
        ("event", "SLUICE_EVENT"),
        ("file", "SLUICE_FILE"),
        ("duration.ms", "SLUICE_DURATION_MS"),
        ("window.name", "SLUICE_WINDOW_NAME"),
        ("backup-path", "SLUICE_BACKUP_PATH"),
        ("Already_Upper9", "SLUICE_ALREADY_UPPER9"),
        ("_leading", "SLUICE__LEADING"),
        ("__", "SLUICE___"),
        ("42answer", "SLUICE_42ANSWER"),
        ("0", "SLUICE_0"),
        ("a b=c", "SLUICE_A_B_C"),
        ("größe", "SLUICE_GR__E"),
        ("日本", "SLUICE___"),
        ("🙂", "SLUICE__"),
        ("", "SLUICE_"),
    ])
    func mapping(key: String, expected: String) {
        let name = JournalFieldName.forMetadataKey(key)
        #expect(name == expected)
        #expect(JournalFieldName.isValid(name))
    }

    @Test("Should cut very long keys to 64 characters and keep them apart")
    func longKeys() {
        let base = String(repeating: "segment.", count: 20)
        let first = JournalFieldName.forMetadataKey(base + "first")
        let second = JournalFieldName.forMetadataKey(base + "second")
        #expect(first.count == 64)
        #expect(second.count == 64)
        #expect(first != second)
        #expect(first.hasPrefix("SLUICE_SEGMENT_SEGMENT_"))
        #expect(JournalFieldName.isValid(first) && JournalFieldName.isValid(second))
        #expect(first == JournalFieldName.forMetadataKey(base + "first"), "the name must be stable")
        let exactly64 = String(repeating: "k", count: 64 - "SLUICE_".count)
        #expect(JournalFieldName.forMetadataKey(exactly64) == "SLUICE_" + exactly64.uppercased())
    }

    @Test("Should reject names journald would drop", arguments: [
        "", "_SYSTEMD_UNIT", "9LIVES", "lower", "WITH-DASH", "WITH.DOT", "ÜBER", String(repeating: "A", count: 65),
    ])
    func invalidNames(name: String) {
        #expect(!JournalFieldName.isValid(name))
    }

    @Test("Should accept the standard fields it sends", arguments: [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "MESSAGE_ID", "CODE_FILE", "CODE_LINE", "CODE_FUNC", String(repeating: "A", count: 64),
    ])
    func validNames(name: String) {
        #expect(JournalFieldName.isValid(name))
    }
}
