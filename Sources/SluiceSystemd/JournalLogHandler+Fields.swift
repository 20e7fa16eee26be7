import Logging

extension JournalLogHandler {
    /// The fields of the journal entry for a record: pure, so tests can check exactly
    /// what journald would store (STYLE habit 9).
    ///
    /// In order: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER=sluice`, `MESSAGE_ID` (when
    /// the `event` metadata has one, see `SluiceMessageID`), `CODE_FILE`, `CODE_LINE`,
    /// `CODE_FUNC`, then each metadata key as `SLUICE_…` (see
    /// `JournalFieldName.forMetadataKey(_:)`), sorted by key.
    public static func fields(for event: LogEvent, contextMetadata: Logger.Metadata = [:]) -> [JournalField] {
        let record = LogRecord(event: event, contextMetadata: contextMetadata)
        var fields = [
            JournalField("MESSAGE", record.message),
            JournalField("PRIORITY", String(priority(for: record.level))),
            JournalField("SYSLOG_IDENTIFIER", syslogIdentifier),
        ]
        if let name = record.event, let id = SluiceMessageID.id(forEvent: name) {
            fields.append(JournalField("MESSAGE_ID", id))
        }
        fields.append(JournalField("CODE_FILE", record.file))
        fields.append(JournalField("CODE_LINE", String(record.line)))
        fields.append(JournalField("CODE_FUNC", record.function))
        for (key, value) in record.metadata {
            fields.append(JournalField(JournalFieldName.forMetadataKey(key), value))
        }
        return fields
    }

    /// The syslog priority journald stores in `PRIORITY` and `journalctl -p` filters on:
    /// trace and debug 7, info 6, notice 5, warning 4, error 3, critical 2.
    public static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
