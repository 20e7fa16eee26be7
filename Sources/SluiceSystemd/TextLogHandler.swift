import FoundationEssentials
import Glibc
import Logging
import SluiceCore

/// Writes readable one-line records for a person at a terminal:
/// `14:03:07.250 info     applied event=applied revision.id=ae1027a6acf0`.
public struct TextLogHandler: LogHandler {
    /// The logger's label; not written.
    public let label: String
    /// Where lines go: `STDERR_FILENO` in production, a pipe or file in tests.
    public let fileDescriptor: Int32
    /// The threshold, checked by `Logger` before `log(event:)` is called.
    public var logLevel: Logger.Level
    /// Metadata attached to every record from this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds task-local context to every record.
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for `label` writing to `fileDescriptor`.
    public init(
        label: String,
        level: Logger.Level = .info,
        fileDescriptor: Int32 = STDERR_FILENO,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.logLevel = level
        self.fileDescriptor = fileDescriptor
        self.metadataProvider = metadataProvider
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the record as one line with one `write(2)`.
    public func log(event: LogEvent) {
        let context = LogRecord.contextMetadata(handler: metadata, provider: metadataProvider)
        LineWriter.write(Self.line(for: event, contextMetadata: context, timestamp: Date()), to: fileDescriptor)
    }

    /// The line for a record, without the newline: pure, so tests can check it.
    ///
    /// `HH:MM:SS.mmm` in local time, the level padded to 8 columns, the message, then
    /// `event=` first and the other metadata as `key=value` sorted by key. Values with
    /// spaces, quotes, `=` or control characters are quoted and escaped, and so are
    /// control characters in the message, so one record is always one line.
    public static func line(for event: LogEvent, contextMetadata: Logger.Metadata = [:], timestamp: Date) -> String {
        let record = LogRecord(event: event, contextMetadata: contextMetadata)
        let level = record.level.rawValue
        var line = Timestamp.localClock(timestamp) + " " + level
            + String(repeating: " ", count: max(1, 9 - level.count)) + escaped(record.message)
        let ordered = record.metadata.filter { $0.key == "event" } + record.metadata.filter { $0.key != "event" }
        for (key, value) in ordered {
            line += " \(escaped(key))=\(quotedIfNeeded(value))"
        }
        return line
    }

    /// `text` with control characters written as `\n`, `\t` or `\u{…}`.
    private static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.properties.generalCategory == .control: result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `value` as is when it reads unambiguously, else in double quotes with `"` and
    /// `\` escaped.
    private static func quotedIfNeeded(_ value: String) -> String {
        let plain = !value.isEmpty && !value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || scalar.properties.generalCategory == .control
        }
        if plain { return value }
        let inner = escaped(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))
        return "\"\(inner)\""
    }
}
