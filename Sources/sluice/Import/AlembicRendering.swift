/// What the Alembic driver (`AlembicDriverScript`) reports about a project: every
/// revision with its identity and graph as Alembic's `Script` objects give them, and
/// its upgrade and downgrade as Alembic rendered them offline (or the exception it
/// raised).
struct AlembicRendering: Decodable {
    /// `alembic.__version__` of the project's interpreter.
    let alembic: String
    /// `sqlalchemy.__version__`.
    let sqlalchemy: String
    /// The interpreter's version.
    let python: String
    /// The version table env.py configures (`version_table=`), when it could be seen.
    let versionTable: String?
    /// Every revision, parents before children.
    let revisions: [AlembicRevision]
}

/// One Alembic revision: what the header of its sluice file is made of, and its SQL.
struct AlembicRevision: Decodable {
    /// `revision`.
    let id: String
    /// `down_revision`, as a list.
    let parents: [String]
    /// `depends_on`, resolved to revision ids.
    let dependencies: [String]
    /// The `branch_labels` the revision itself declares.
    let branchLabels: [String]
    /// The docstring's first paragraph, on one line.
    let message: String
    /// The docstring's `Create Date:`.
    let createDate: String?
    /// The Python file, relative to the directory of `alembic.ini`.
    let path: String
    /// `upgrade()`, rendered.
    let upgrade: RenderedFunction
    /// `downgrade()`, rendered.
    let downgrade: RenderedFunction
}

/// One of a revision's functions as Alembic's offline mode rendered it.
struct RenderedFunction: Decodable {
    /// The statements, each as Alembic printed it (with its `;`), when it rendered.
    let sql: [String]?
    /// The exception Alembic raised, when it did not.
    let error: AlembicException?
    /// Statements that read rows through `op.get_bind()`: offline there are none to
    /// read, so what the function did with them is missing from `sql`.
    let reads: [DataRead]?

    /// The statements, or `nil` when the function cannot be rendered offline.
    var statements: [String]? {
        guard error == nil, reads?.isEmpty ?? true else { return nil }
        return sql ?? []
    }
}

/// An exception raised while Alembic rendered a function: Alembic's own reason.
struct AlembicException: Decodable, CustomStringConvertible {
    /// The exception's class name (`CommandError`, `AttributeError`, …).
    let type: String
    /// Its message.
    let message: String
    /// `file:line, in function`, the innermost place in the project's files.
    let location: String?

    enum CodingKeys: String, CodingKey {
        case type, message
        case location = "where"
    }

    var description: String {
        "\(type): \(message)" + (location.map { " (\($0))" } ?? "")
    }
}

/// A statement a revision ran through `op.get_bind()` to read rows.
struct DataRead: Decodable {
    /// The statement, on one line.
    let statement: String
    /// `file:line` in the revision.
    let location: String?

    enum CodingKeys: String, CodingKey {
        case statement
        case location = "where"
    }
}

/// The driver's result when it could not use the project at all.
struct AlembicDriverFailure: Decodable {
    /// `python` (Alembic not importable), `config` (alembic.ini or script_location),
    /// `env` (env.py fails before any revision runs), `dialect` (env.py forces another
    /// dialect), `guard` (env.py connects elsewhere online), `driver` (anything else).
    let stage: String
    /// What happened and what to do.
    let message: String
}

/// The driver's output document: either the result or a failure.
struct AlembicDriverOutput<Result: Decodable>: Decodable {
    /// Set when the driver could not use the project; `result` is `nil` then.
    let fatal: AlembicDriverFailure?
    /// The result, decoded from the same document.
    let result: Result?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        fatal = try container.decodeIfPresent(AlembicDriverFailure.self, forKey: .fatal)
        result = fatal == nil ? try Result(from: decoder) : nil
    }

    private enum Key: String, CodingKey { case fatal }
}

/// What `alembic upgrade heads` online on a scratch database reported.
struct AlembicOnlineUpgrade: Decodable {
    /// The exception Alembic raised, when the upgrade failed.
    let error: AlembicException?
}
