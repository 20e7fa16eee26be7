import FoundationEssentials
import Glibc
import Logging
import SluiceOS

/// Where the daemon's records go. The raw values match `log.format` in the
/// configuration, so the wiring code can map `journal`, `json` and `text` directly and
/// call `automatic(environment:stderrFD:)` for `auto`.
public enum LogDestination: String, Sendable, CaseIterable {
    /// Native journald entries (`JournalLogHandler`).
    case journal
    /// One JSON object per line on stderr (`JSONLinesLogHandler`).
    case json
    /// Readable lines on stderr (`TextLogHandler`).
    case text

    /// The destination that fits how the process was started, as sd_journal_print(3)
    /// recommends: `.journal` when `JOURNAL_STREAM` (`device:inode`) names the very
    /// file stderr is (systemd connected stderr to journald, and a child that inherited
    /// the variable but not the descriptor is not fooled); else `.text` when stderr is a
    /// terminal; else `.json`.
    public static func automatic(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        stderrFD: Int32 = STDERR_FILENO
    ) -> LogDestination {
        if isJournalStream(environment["JOURNAL_STREAM"], fd: stderrFD) { return .journal }
        return Syscalls.isTerminal(stderrFD) ? .text : .json
    }

    /// Whether `value` (`"<device>:<inode>"`, both decimal) matches `fd`'s `fstat`.
    static func isJournalStream(_ value: String?, fd: Int32) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
              case .success(let status) = Syscalls.fileStatus(fd) else { return false }
        return UInt64(truncatingIfNeeded: status.st_dev) == device && UInt64(truncatingIfNeeded: status.st_ino) == inode
    }
}

/// The handler for `destination` at `level`, writing to stderr (or the journal): the
/// one place the daemon's `LoggingSystem.bootstrap` closure needs.
public func makeLogHandler(label: String, destination: LogDestination, level: Logger.Level) -> any LogHandler {
    switch destination {
    case .journal: JournalLogHandler(label: label, level: level)
    case .json: JSONLinesLogHandler(label: label, level: level)
    case .text: TextLogHandler(label: label, level: level)
    }
}
