import FoundationEssentials
import SluiceTime

/// The configured blackouts merged into disjoint, sorted periods, so that cutting a window
/// is one pass and two blackouts that touch or overlap never leave a zero-length opening.
struct BlackoutTimeline: Sendable {
    /// Disjoint `[from, until)` periods in time order.
    let periods: [(from: Date, until: Date)]

    /// Merges `blackouts`; empty ones (`until <= from`, which the configuration rejects) are dropped.
    init(_ blackouts: [Blackout]) {
        var merged: [(from: Date, until: Date)] = []
        for blackout in blackouts.filter({ $0.from < $0.until }).sorted(by: { $0.from < $1.from }) {
            if let last = merged.last, blackout.from <= last.until {
                merged[merged.count - 1].until = max(last.until, blackout.until)
            } else {
                merged.append((blackout.from, blackout.until))
            }
        }
        periods = merged
    }

    /// The end of the last blackout: after it, windows recur unhindered, which bounds every
    /// forward search.
    var lastEnd: Date? { periods.last?.until }

    /// The parts of `[start, end)` outside every blackout, in time order (SPEC §7: blackouts
    /// win over windows, the rest of the window stays open).
    func cut(start: Date, end: Date) -> [(start: Date, end: Date)] {
        var pieces: [(start: Date, end: Date)] = []
        var cursor = start
        for period in periods where period.until > cursor {
            if period.from >= end { break }
            if period.from > cursor { pieces.append((cursor, period.from)) }
            cursor = period.until
            if cursor >= end { return pieces }
        }
        if cursor < end { pieces.append((cursor, end)) }
        return pieces
    }
}
