import FoundationEssentials

/// One `[[blackout]]`: a stretch of absolute time in which no window is open, such as a
/// release freeze. Blackouts win over windows (SPEC §7).
public struct Blackout: Sendable, Equatable {
    /// An optional label for logs and `sluice windows`.
    public var name: String?
    /// The first instant of the blackout (inclusive).
    public var from: Date
    /// The first instant after the blackout (exclusive); always later than `from`.
    public var until: Date

    /// Creates a blackout covering `[from, until)`.
    public init(name: String? = nil, from: Date, until: Date) {
        self.name = name
        self.from = from
        self.until = until
    }

    /// Whether `date` falls inside the blackout, using the same half-open rule as windows.
    public func contains(_ date: Date) -> Bool { from <= date && date < until }
}
