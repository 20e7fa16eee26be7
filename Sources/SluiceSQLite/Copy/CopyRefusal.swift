import SluiceCore

/// A copy of the live database that sluice would not make, or gave up, so as not to hold
/// the application's writes back: the apply waits and is retried later.
public enum CopyRefusal: Error, Sendable, CustomStringConvertible {
    /// One consistent copy would hold the writers back longer than `max_stall`.
    case stallTooLong(predicted: Duration, bound: Duration, bytes: Int64, bytesPerSecond: Int64)
    /// Short steps (`on_long_stall = "wait"`) were started again by the application's
    /// writes until the time allowed ran out.
    case noQuietSpell(restarts: Int, seconds: Double)

    public var description: String {
        switch self {
        case .stallTooLong(let predicted, let bound, let bytes, let rate):
            return "a consistent copy of this rollback-journal database would hold the application's writes for about \(Self.text(predicted)) (\(ByteCountText.text(bytes)) at \(ByteCountText.text(rate))/s), above backups.max_stall = \(Self.text(bound)), and the file system cannot clone it; not copying (switch the database to WAL, put it on XFS or btrfs, raise max_stall, or set on_long_stall = \"wait\")"
        case .noQuietSpell(let restarts, let seconds):
            return "the application wrote during every attempt to copy the database in short steps (\(restarts) restarts in \(Int(seconds.rounded())) s); not copying now"
        }
    }

    /// `1.2 s` or `350 ms`.
    static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds >= 1000 ? "\(Double(milliseconds / 100) / 10) s" : "\(milliseconds) ms"
    }
}
