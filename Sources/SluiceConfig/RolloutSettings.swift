/// `[rollout]`: how a revision goes out to the members of `databases`.
public struct RolloutSettings: Sendable, Equatable {
    /// Which members go first, one at a time, before any other starts.
    public enum Canaries: Sendable, Equatable {
        /// The first `n` members by name.
        case count(Int)
        /// These members, by file name (`acme.db`) or by name without the extension.
        case names([String])
    }

    /// `canaries`: a count or a list of names; none by default.
    public var canaries: Canaries = .count(0)
    /// `parallelism`: members migrated at once after the canaries; `nil`: the number of
    /// cores.
    public var parallelism: Int?
    /// `max_failures`: after this many failed members no other member starts, and the
    /// rest are held with the reason.
    public var maxFailures = 1

    /// The defaults: no canaries, one member per core, halt at the first failure.
    public init() {}
}
