import CSQLite

/// What revision files may not do to the connection they run on: attach or detach
/// other databases, load extensions, or write the database elsewhere with
/// `VACUUM INTO` — unless the configuration allows it — and, in a transactional
/// revision, end or replace the transaction sluice runs it in. SQLite's authorizer
/// enforces it while each statement is prepared, on rehearsal copies and on the real
/// database alike, so a refused statement never runs anywhere.
public struct RevisionPolicy: Sendable, Equatable {
    /// A refused statement: what kind of rule it broke, and what to do about it.
    public struct Refusal: Sendable, Equatable {
        /// The kind, as reports group it (`transaction-control`, `foreign-keys-pragma`, …).
        public let kind: RehearsalFailure.Kind
        /// The message, naming the statement and the way out.
        public let reason: String
    }

    /// `[validation] allow_attach`: permit `ATTACH`, `DETACH` and `VACUUM INTO`.
    public var allowAttach: Bool

    /// Creates a policy; the default refuses.
    public init(allowAttach: Bool = false) {
        self.allowAttach = allowAttach
    }

    /// Why `event` is refused, or `nil` when it is allowed.
    /// - Parameter transactional: the statement belongs to a revision that sluice runs
    ///   in its own transaction (`Transaction: per-migration`): then `BEGIN`, `COMMIT`,
    ///   `END` and `ROLLBACK` would end it (what ran before would be committed, or lost
    ///   while the rest ran in autocommit), and `PRAGMA foreign_keys = …` does nothing.
    ///   `SAVEPOINT`, `RELEASE` and `ROLLBACK TO` stay allowed: inside sluice's
    ///   `BEGIN IMMEDIATE` they nest in it and can never commit it.
    public func refusal(of event: AuthorizerEvent, transactional: Bool) -> Refusal? {
        switch event.action {
        case SQLITE_ATTACH where !allowAttach:
            // VACUUM INTO attaches its target, so it is reported here too.
            return Refusal(kind: .policy, reason: "ATTACH (and VACUUM INTO) is refused in revisions: a revision changes only its own database; set [validation] allow_attach = true to permit it")
        case SQLITE_DETACH where !allowAttach:
            return Refusal(kind: .policy, reason: "DETACH is refused in revisions; set [validation] allow_attach = true to permit it")
        case SQLITE_FUNCTION where event.second?.lowercased() == "load_extension":
            return Refusal(kind: .policy, reason: "load_extension() is refused in revisions: extension loading is disabled")
        case SQLITE_TRANSACTION where transactional:
            let verb = event.first?.uppercased() ?? "BEGIN"
            return Refusal(kind: .transactionControl,
                           reason: "\(verb) is refused in a transactional revision: sluice runs each revision in its own transaction, and \(verb) would end it (part of the revision committed, the rest run without a transaction). Remove it (SAVEPOINT … RELEASE may stay), or take control with `-- Transaction: none`")
        case SQLITE_PRAGMA where transactional && event.first?.lowercased() == "foreign_keys" && event.second != nil:
            return Refusal(kind: .foreignKeysPragma,
                           reason: "PRAGMA foreign_keys does nothing inside a transaction; sluice already turns enforcement off while a revision runs. Remove it, or use `Transaction: none`")
        default:
            return nil
        }
    }
}
