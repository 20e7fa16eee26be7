import FoundationEssentials
import Glibc
import Logging
import SluiceCore

/// Writes each record as one JSON object on one line (stderr by default), for log
/// shippers and `jq` when stderr is neither the journal nor a terminal. Every line
/// parses on its own, and lines from different threads never interleave.
public struct JSONLinesLogHandler: LogHandler {
    /// The logger's label; not written (the `source` module names the origin).
    public let label: String
    /// Where lines go: `STDERR_FILENO` in production, a pipe or file in tests.
    public let fileDescriptor: Int32
    /// The threshold, checked by `Logger` before `log(event:)` is called.
    public var logLevel: Logger.Level
    /// Metadata attached to every record from this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds task-local context (e.g. the revision being applied) to every record.
    public var metadataProvider: Logger.MetadataProvider?

    /// The record's own keys. A metadata key with one of these names is written as
    /// `metadata.<key>` so it neither hides nor duplicates the record's own value.
    public static let reservedKeys: Set<String> = ["timestamp", "level", "message", "source", "file", "line"]

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

    /// Writes the record as one line with one `write(2)`; a line that cannot be
    /// written is dropped rather than stopping the daemon.
    public func log(event: LogEvent) {
        let context = LogRecord.contextMetadata(handler: metadata, provider: metadataProvider)
        LineWriter.write(Self.line(for: event, contextMetadata: context, timestamp: Date()), to: fileDescriptor)
    }

    /// The JSON text for a record, without the newline: pure, so tests can check it.
    ///
    /// Keys in order: `timestamp` (ISO 8601 UTC, milliseconds), `level`, `message`,
    /// `event` (when the metadata has one), every other metadata key as is, sorted
    /// (dotted keys, string values; nested dictionaries flattened to dotted keys),
    /// then `source`, `file` and `line` (a number) of the call site.
    public static func line(for event: LogEvent, contextMetadata: Logger.Metadata = [:], timestamp: Date) -> String {
        let record = LogRecord(event: event, contextMetadata: contextMetadata)
        var members: [String] = [
            member("timestamp", Timestamp.iso8601(timestamp)),
            member("level", record.level.rawValue),
            member("message", record.message),
        ]
        if let name = record.event {
            members.append(member("event", name))
        }
        for (key, value) in record.metadata where key != "event" {
            members.append(member(reservedKeys.contains(key) ? "metadata.\(key)" : key, value))
        }
        members.append(member("source", record.source))
        members.append(member("file", record.file))
        members.append("\"line\":\(record.line)")
        return "{" + members.joined(separator: ",") + "}"
    }

    /// `"key":"value"`.
    private static func member(_ key: String, _ value: String) -> String {
        JSONText.quoted(key) + ":" + JSONText.quoted(value)
    }
}
