import FoundationEssentials

/// One attempt to change the database, as a row of `sluice_history`.
public struct HistoryRecord: Sendable, Equatable {
    /// What the attempt did.
    public enum Direction: String, Sendable { case upgrade, downgrade, stamp }
    /// How it ended.
    public enum Outcome: String, Sendable { case applied, failed }
    /// Who started it.
    public enum Trigger: String, Sendable { case daemon, cli }

    public var revision: String
    public var direction: Direction
    public var checksum: String?
    public var file: String?
    public var startedAt: Date
    public var finishedAt: Date
    public var outcome: Outcome
    public var statementsRun: Int
    public var statementsTotal: Int
    public var errorLine: Int?
    public var errorText: String?
    public var trigger: Trigger

    /// Creates a record; host, pid and version are filled in by the store.
    public init(revision: String, direction: Direction, checksum: String?, file: String?, startedAt: Date, finishedAt: Date,
                outcome: Outcome, statementsRun: Int, statementsTotal: Int, errorLine: Int? = nil, errorText: String? = nil,
                trigger: Trigger) {
        self.revision = revision
        self.direction = direction
        self.checksum = checksum
        self.file = file
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.statementsRun = statementsRun
        self.statementsTotal = statementsTotal
        self.errorLine = errorLine
        self.errorText = errorText
        self.trigger = trigger
    }

    /// Milliseconds between start and finish.
    public var durationMilliseconds: Int {
        Int((finishedAt.timeIntervalSince(startedAt) * 1000).rounded())
    }
}
