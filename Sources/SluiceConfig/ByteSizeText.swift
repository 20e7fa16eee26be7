import TOML
/// The size notation of the configuration file (`rehearsal_max_bytes = "256MiB"`).
///
/// Sizes are read as text so operators can write the unit they think in, while a plain
/// TOML integer (or a string of digits) still means bytes.
///
/// Grammar (decided here, documented in docs/configuration.md): a non-negative integer, optional
/// spaces, then an optional unit, case-insensitive:
/// - none or `B`: bytes;
/// - `KiB`, `MiB`, `GiB`, `TiB`: powers of 1024;
/// - `KB`, `MB`, `GB`, `TB`: powers of 1000, as disk vendors count.
///
/// Bare `K`, `M`, `G` are rejected because they do not say which of the two is meant, and
/// fractions are rejected because a size is a whole number of bytes (write `1536MiB`).
public enum ByteSizeText {
    /// Parses `text` into a byte count, or `nil` when it does not follow the grammar above
    /// or does not fit in 64 bits.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8).trimmingASCIISpaces()
        var index = 0
        guard let count = bytes.readDigits(at: &index, maximum: 19) else { return nil }
        while index < bytes.count, bytes[index].isASCIISpace { index += 1 }
        let unit = String(decoding: bytes[index...], as: UTF8.self).lowercased()
        guard let multiplier = multipliers[unit] else { return nil }
        let (size, overflow) = count.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : size
    }

    private static let multipliers: [String: Int64] = [
        "": 1, "b": 1,
        "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
        "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000, "tb": 1_000_000_000_000,
    ]
}
