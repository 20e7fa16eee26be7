import TOML
/// The duration notation of the configuration file (`settle = "500ms"`, `duration = "2h"`).
///
/// Durations are written as text with units, never as bare TOML numbers, because a bare
/// `500` leaves the reader guessing between seconds and milliseconds.
///
/// Grammar (decided here, documented in docs/configuration.md):
/// - one or more segments `<digits>[.<digits>]<unit>`, optionally separated by spaces:
///   `"500ms"`, `"90s"`, `"15m"`, `"2h"`, `"1d"`, `"1h30m"`, `"1h 30m"`, `"1.5s"`, `"0.25h"`;
/// - units, lower case only: `d` (24 hours), `h`, `m` (minutes), `s`, `ms`; each at most
///   once and from the largest to the smallest, so `"30m1h"` and `"1m1m"` (likely typos) are
///   rejected;
/// - fractions have at most 9 digits; anything finer than a nanosecond is truncated;
/// - a lone `"0"` means zero; any other number needs a unit;
/// - no sign (durations are never negative), no exponent, no `M` for months or `w` for weeks.
public enum DurationText {
    /// Parses `text`, returning `nil` when it does not follow the grammar above or exceeds
    /// about 292 years (the range of 64-bit nanoseconds).
    public static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8).trimmingASCIISpaces()
        if bytes == [UInt8(ascii: "0")] { return .zero }
        var index = 0
        var total: Int64 = 0
        var previousRank = Int.max
        var segments = 0
        while index < bytes.count {
            if segments > 0 { while index < bytes.count, bytes[index].isASCIISpace { index += 1 } }
            guard let whole = bytes.readDigits(at: &index, maximum: 18) else { return nil }
            var fraction: (value: Int64, scale: Int64) = (0, 1)
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                guard let digits = bytes.readDigits(at: &index, maximum: 9) else { return nil }
                fraction = (digits, power(of: 10, index - start))
            }
            let unitStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "a"), bytes[index] <= UInt8(ascii: "z") { index += 1 }
            guard let unit = Unit(String(decoding: bytes[unitStart..<index], as: UTF8.self)),
                  unit.rank < previousRank
            else { return nil }
            previousRank = unit.rank
            let (wholeNanos, overflow) = whole.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow else { return nil }
            let product = fraction.value.multipliedFullWidth(by: unit.nanoseconds)
            let fractionNanos = fraction.scale.dividingFullWidth(product).quotient
            let (segment, overflow2) = wholeNanos.addingReportingOverflow(fractionNanos)
            let (sum, overflow3) = total.addingReportingOverflow(segment)
            guard !overflow2, !overflow3 else { return nil }
            total = sum
            segments += 1
        }
        return segments > 0 ? .nanoseconds(total) : nil
    }

    private enum Unit {
        case days, hours, minutes, seconds, milliseconds

        init?(_ text: String) {
            switch text {
            case "d": self = .days
            case "h": self = .hours
            case "m": self = .minutes
            case "s": self = .seconds
            case "ms": self = .milliseconds
            default: return nil
            }
        }

        /// Larger units rank higher; segments must strictly descend.
        var rank: Int {
            switch self {
            case .days: 4
            case .hours: 3
            case .minutes: 2
            case .seconds: 1
            case .milliseconds: 0
            }
        }

        var nanoseconds: Int64 {
            switch self {
            case .days: 86_400_000_000_000
            case .hours: 3_600_000_000_000
            case .minutes: 60_000_000_000
            case .seconds: 1_000_000_000
            case .milliseconds: 1_000_000
            }
        }
    }

    private static func power(of base: Int64, _ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { product, _ in product * base }
    }
}
