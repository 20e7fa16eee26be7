import FoundationEssentials
import SluiceTime

extension ZoneRules {
    /// The instant at which the wall clock of this zone first shows `wall` (seconds since
    /// 1970-01-01 00:00 local, as if the zone were UTC).
    ///
    /// SPEC §7: a local time that happens twice (fall back) opens at its first occurrence; one
    /// that does not exist (spring forward) opens at the first instant after the gap — the
    /// transition itself (Europe/Berlin 2026-03-29 02:30 → 01:00Z, shown as 03:00 CEST).
    func firstInstant(atWallSeconds wall: Int) -> Date {
        let offsets = Set([-CivilDay.seconds, 0, CivilDay.seconds].map { probe in
            secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + probe)))
        })
        let matches = offsets.map { wall - $0 }.filter { instant in
            secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))) + instant == wall
        }
        if let first = matches.min() { return Date(timeIntervalSince1970: Double(first)) }
        return Date(timeIntervalSince1970: Double(firstInstant(reaching: wall, offsets: offsets)))
    }

    /// The first whole second whose wall time is at or past `wall`: inside a gap, the
    /// transition. Binary search between the earliest and latest candidate instants, in which
    /// the wall clock only moves forward (one transition at most in any two days).
    private func firstInstant(reaching wall: Int, offsets: Set<Int>) -> Int {
        var low = wall - (offsets.max() ?? 0)
        var high = wall - (offsets.min() ?? 0)
        while low < high {
            let middle = low + (high - low) / 2
            if secondsFromGMT(for: Date(timeIntervalSince1970: Double(middle))) + middle >= wall {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
