import CSQLite

/// What a statement asks to do, as SQLite's authorizer reports it while preparing.
public struct AuthorizerEvent: Sendable, Equatable {
    /// The action code (`SQLITE_DROP_TABLE`, `SQLITE_PRAGMA`, …).
    public let action: Int32
    /// The first and second arguments; their meaning depends on `action`.
    public let first: String?
    public let second: String?
    /// The database name (`main`, `temp`, an attached name).
    public let database: String?
}

/// Whether the authorizer lets a statement do something.
public enum AuthorizerDecision: Sendable {
    /// Allow it.
    case allow
    /// Refuse the whole statement: preparing it fails with `SQLITE_AUTH`.
    case deny
}

final class AuthorizerBox {
    let handler: (AuthorizerEvent) -> AuthorizerDecision
    init(_ handler: @escaping (AuthorizerEvent) -> AuthorizerDecision) { self.handler = handler }
}

extension Connection {
    /// Installs `handler` as the connection's authorizer, or removes it with `nil`.
    ///
    /// Rehearsals use it to see which statement drops a table or sets
    /// `PRAGMA foreign_keys`; the apply path uses it to refuse `ATTACH`.
    public func setAuthorizer(_ handler: ((AuthorizerEvent) -> AuthorizerDecision)?) {
        guard let handler else {
            sqlite3_set_authorizer(handle, nil, nil)
            authorizerBox = nil
            return
        }
        let box = AuthorizerBox(handler)
        authorizerBox = box
        sqlite3_set_authorizer(handle, { context, action, first, second, database, _ in
            let box = Unmanaged<AuthorizerBox>.fromOpaque(context!).takeUnretainedValue()
            let event = AuthorizerEvent(
                action: action,
                first: first.map { String(cString: $0) },
                second: second.map { String(cString: $0) },
                database: database.map { String(cString: $0) }
            )
            return box.handler(event) == .allow ? SQLITE_OK : SQLITE_DENY
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}
