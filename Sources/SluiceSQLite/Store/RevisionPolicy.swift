import CSQLite

/// What revision files may not do to the connection they run on: attach or detach
/// other databases, load extensions, or write the database elsewhere with
/// `VACUUM INTO` — unless the configuration allows it. SQLite's authorizer enforces it
/// while each statement is prepared.
public struct RevisionPolicy: Sendable, Equatable {
    /// `[validation] allow_attach`: permit `ATTACH`, `DETACH` and `VACUUM INTO`.
    public var allowAttach: Bool

    /// Creates a policy; the default refuses.
    public init(allowAttach: Bool = false) {
        self.allowAttach = allowAttach
    }

    /// Why `event` is refused, or `nil` when it is allowed.
    public func refusal(of event: AuthorizerEvent) -> String? {
        switch event.action {
        case SQLITE_ATTACH where !allowAttach:
            // VACUUM INTO attaches its target, so it is reported here too.
            return "ATTACH (and VACUUM INTO) is refused in revisions: a revision changes only its own database; set [validation] allow_attach = true to permit it"
        case SQLITE_DETACH where !allowAttach:
            return "DETACH is refused in revisions; set [validation] allow_attach = true to permit it"
        case SQLITE_FUNCTION where event.second?.lowercased() == "load_extension":
            return "load_extension() is refused in revisions: extension loading is disabled"
        default:
            return nil
        }
    }
}
