import Foundation

/// A seeded random number generator (SplitMix64), so a property test that fails can be
/// run again with the same seed and give the same cases.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed and count a property test runs with: from the environment variables
    /// `<prefix>_SEED` and `<prefix>_COUNT` when set, else the defaults.
    public static func settings(prefix: String, seed: UInt64, count: Int) -> (seed: UInt64, count: Int) {
        let environment = ProcessInfo.processInfo.environment
        return (environment["\(prefix)_SEED"].flatMap { UInt64($0) } ?? seed, environment["\(prefix)_COUNT"].flatMap { Int($0) } ?? count)
    }
}
