/// `[log]`: how and how much the daemon logs.
public struct LogSettings: Sendable, Equatable {
    /// The record format.
    public var format: LogFormat
    /// The lowest level that is written.
    public var level: LogLevel

    /// Creates the settings; the defaults pick the format from the environment at `info`.
    public init(format: LogFormat = .auto, level: LogLevel = .info) {
        self.format = format
        self.level = level
    }
}

/// `log.format`: where structured records go (SPEC §6).
public enum LogFormat: String, Sendable, CaseIterable {
    /// journald when stderr is the journal (`JOURNAL_STREAM`), text on a terminal, else JSON.
    case auto
    /// Native journald fields.
    case journal
    /// One JSON object per line on stderr.
    case json
    /// Plain lines for people.
    case text
}

/// `log.level`: the threshold, named as swift-log names its levels so the wiring code can
/// map it with `Logger.Level(rawValue: level.rawValue)` without this module importing it.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    /// Everything, for chasing a bug.
    case trace
    /// Internal decisions.
    case debug
    /// Normal events: discovered, queued, applied.
    case info
    /// Events worth an operator's attention.
    case notice
    /// Something is held or retried.
    case warning
    /// A migration or validation failed.
    case error
    /// The daemon cannot continue.
    case critical

    /// Less severe levels first, in the order listed above.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        let order = LogLevel.allCases
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}
