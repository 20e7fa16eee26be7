import FoundationEssentials
import Glibc
import Logging
import SluiceCore
import SluiceOS

/// Sends each record to journald as a native entry with structured fields, so
/// operators can filter with `journalctl SLUICE_EVENT=applied` or
/// `journalctl MESSAGE_ID=…` rather than grep text. Used when stderr is the journal
/// (`LogDestination.automatic`).
///
/// Entries go to journald's native socket (`JournalSocket`, sluice's own implementation
/// of the protocol; libsystemd is neither linked nor loaded). If the entry cannot be
/// delivered (journald refuses it, or no journald listens), the record is written as a
/// JSON line to the fallback descriptor instead, so it is not lost.
public struct JournalLogHandler: LogHandler {
    /// `SYSLOG_IDENTIFIER` of every entry: `journalctl -t sluice` finds them all.
    public static let syslogIdentifier = "sluice"

    /// The logger's label; not sent.
    public let label: String
    /// Where a record goes when journald refuses it: stderr by default.
    public let fallbackFileDescriptor: Int32
    /// The threshold, checked by `Logger` before `log(event:)` is called.
    public var logLevel: Logger.Level
    /// Metadata attached to every record from this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds task-local context to every record.
    public var metadataProvider: Logger.MetadataProvider?

    /// Delivers an entry's fields; tests swap in a failing one or a socket of their own.
    let sink: @Sendable ([JournalField]) -> Result<Void, Errno>

    /// A handler for `label`, sending to the system journal
    /// (`/run/systemd/journal/socket`).
    public init(
        label: String,
        level: Logger.Level = .info,
        fallbackFileDescriptor: Int32 = STDERR_FILENO,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.init(label: label, level: level, fallbackFileDescriptor: fallbackFileDescriptor,
                  metadataProvider: metadataProvider, socket: .system)
    }

    /// A handler sending to `socket`, so tests can stand in for journald with a socket
    /// of their own and read exactly what was sent.
    init(
        label: String,
        level: Logger.Level,
        fallbackFileDescriptor: Int32,
        metadataProvider: Logger.MetadataProvider?,
        socket: JournalSocket
    ) {
        self.init(label: label, level: level, fallbackFileDescriptor: fallbackFileDescriptor,
                  metadataProvider: metadataProvider) { socket.send($0) }
    }

    /// A handler with its own delivery function, for tests of the failure path.
    init(
        label: String,
        level: Logger.Level,
        fallbackFileDescriptor: Int32,
        metadataProvider: Logger.MetadataProvider?,
        sink: @escaping @Sendable ([JournalField]) -> Result<Void, Errno>
    ) {
        self.label = label
        self.logLevel = level
        self.fallbackFileDescriptor = fallbackFileDescriptor
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    /// One metadata value of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends the record; never throws or traps. When sending fails (also when there is
    /// no journal socket, `ENOENT`), the record goes to the fallback descriptor as a JSON
    /// line with `journal.errno`.
    public func log(event: LogEvent) {
        let context = LogRecord.contextMetadata(handler: metadata, provider: metadataProvider)
        let fields = Self.fields(for: event, contextMetadata: context)
        if case .failure(let error) = sink(fields) {
            var fallback = context
            fallback["journal.errno"] = .stringConvertible(error.rawValue)
            let line = JSONLinesLogHandler.line(for: event, contextMetadata: fallback, timestamp: Date())
            LineWriter.write(line, to: fallbackFileDescriptor)
        }
    }
}
