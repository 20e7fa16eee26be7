import SluiceCore

/// Why a revision did not pass its rehearsal, with the file line to look at.
public struct RehearsalFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for reports that group them.
    public enum Kind: String, Sendable {
        /// A statement failed, or the foreign-key check did.
        case statementFailed = "statement-failed"
        /// The downgrade left the schema different from before the upgrade.
        case downgradeMismatch = "downgrade-mismatch"
        /// The upgrade loses tables or columns without `Destructive: allowed`.
        case destructive
        /// `PRAGMA foreign_keys` inside a transactional revision, where it does nothing.
        case foreignKeysPragma = "foreign-keys-pragma"
        /// `BEGIN`, `COMMIT`, `END` or `ROLLBACK` inside a transactional revision.
        case transactionControl = "transaction-control"
        /// `ATTACH`, `DETACH`, `VACUUM INTO` or `load_extension()`, refused by the policy.
        case policy
        /// A placeholder (`PlaceholderMarker`) whose SQL has not been written yet.
        case placeholder
    }

    /// The revision that failed.
    public let revision: Revision
    /// The kind of failure.
    public let kind: Kind
    /// The file line.
    public let line: Int
    /// What went wrong and what to do.
    public let reason: String
    /// For a `.destructive` failure, what the upgrade loses, one item each
    /// (`column orders.legacy_ref is dropped`), for tools that act on it.
    public var losses: [String] = []

    public var description: String { "\(revision.path):\(line): \(reason)" }

    /// The failure of a placeholder, at its marker line, or `nil` for any other file:
    /// checked before anything of the revision runs.
    static func placeholder(_ revision: Revision) -> RehearsalFailure? {
        guard let line = revision.placeholderLine else { return nil }
        return RehearsalFailure(revision: revision, kind: .placeholder, line: line, reason: PlaceholderMarker.reason)
    }
}
