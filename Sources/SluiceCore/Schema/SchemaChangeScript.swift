/// What `SchemaDiff` produces: the statements that turn one schema into another, in the
/// order they must run, grouped by the object they change with a comment a reviewer can
/// follow, and what the change would remove.
public struct SchemaChangeScript: Sendable, Equatable {
    /// The statements for one object, under one comment.
    public struct Step: Sendable, Equatable {
        /// What the statements do, in words (one or more lines, without `-- `).
        public let comment: String
        /// The statements, each without its final `;`.
        public let statements: [String]
    }

    /// The steps, in the order they must run.
    public var steps: [Step] = []
    /// What the change removes for good (tables, columns, views, triggers not re-created).
    public var losses: [SchemaLoss] = []
    /// Renames that would keep data the change otherwise drops (`--rename` hints to
    /// consider), as hints.
    public var renameSuggestions: [String] = []

    /// Whether the schemas are the same.
    public var isEmpty: Bool { steps.isEmpty }

    /// The losses that drop data (tables and columns), which need `Destructive: allowed`.
    public var dataLosses: [SchemaLoss] { losses.filter(\.losesData) }

    /// The script as SQL: each step's comment, then its statements, steps apart by a blank line.
    public var sql: String {
        steps.map { step in
            let comment = step.comment.split(separator: "\n", omittingEmptySubsequences: false).map { "-- \($0)" }.joined(separator: "\n")
            return comment + "\n" + step.statements.map { $0 + ";" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}

/// Something a schema change removes that no statement brings back.
public struct SchemaLoss: Sendable, Equatable, CustomStringConvertible {
    /// What kind of object it is.
    public enum Kind: String, Sendable, Equatable {
        case table, column, view, trigger
    }

    /// What kind of object it is.
    public let kind: Kind
    /// Its name; `table.column` for a column.
    public let name: String

    /// Creates a loss.
    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// Whether rows or values are lost (a table or a column), not only a definition.
    public var losesData: Bool { kind == .table || kind == .column }

    /// `table orders (its rows)`, `column users.email (its values)`, `view active_users`.
    public var description: String {
        switch kind {
        case .table: return "table \(name) (its rows)"
        case .column: return "column \(name) (its values)"
        case .view, .trigger: return "\(kind.rawValue) \(name)"
        }
    }
}
