/// One parsed revision file: its identity, its place in the graph and its SQL.
///
/// A `Revision` is immutable history: once applied, its `checksum` is recorded and any
/// later edit of the file is reported rather than silently accepted.
public struct Revision: Sendable, Equatable {
    /// How a revision's statements are wrapped when they run.
    public enum TransactionMode: String, Sendable, Equatable {
        /// The default: one `BEGIN IMMEDIATE` transaction holding the statements and the
        /// bookkeeping, so the revision is applied whole or not at all.
        case perMigration = "per-migration"
        /// For statements SQLite refuses inside a transaction (`VACUUM`, some `PRAGMA`s).
        /// Such a revision can be left half-applied by a crash, so a backup comes first.
        case none
    }

    /// The revision id, `[A-Za-z0-9_]{1,32}` so that it fits Alembic's `VARCHAR(32)`.
    public let id: String
    /// The parents (`Revises`); empty for a base, several for a merge revision.
    public let parents: [String]
    /// Revisions that must be applied first without being parents (`Depends On`).
    public let dependencies: [String]
    /// Labels usable as `label@head` (`Branch Labels`).
    public let branchLabels: [String]
    /// The first header line: what the revision does.
    public let message: String
    /// The informational `Create Date`, as written.
    public let createDate: String?
    /// `Transaction:` from the header.
    public let transactionMode: TransactionMode
    /// `Destructive: allowed` acknowledges that the upgrade drops data.
    public let destructiveAllowed: Bool
    /// The `-- +upgrade` section.
    public let upgrade: SQLSection
    /// The `-- +downgrade` section; `nil` when absent or empty, which makes the revision
    /// irreversible unless its upgrade is empty too.
    public let downgrade: SQLSection?
    /// The line of the `-- +downgrade` marker when the file has one, even with nothing
    /// executable under it: "empty" and "missing" are different things to tell a user.
    public var downgradeMarkerLine: Int? = nil
    /// The line of a `PlaceholderMarker` when the file is a placeholder whose SQL is yet
    /// to be written: validation and every applying path refuse it until the line is
    /// removed.
    public var placeholderLine: Int? = nil
    /// The path the file was read from, as given to the parser; errors name it.
    public let path: String
    /// `sha256:<hex>` of the normalized text (BOM removed, CRLF turned into LF).
    public let checksum: String

    /// Creates a revision; the parser is the usual source of these.
    public init(
        id: String, parents: [String], dependencies: [String] = [], branchLabels: [String] = [],
        message: String, createDate: String? = nil, transactionMode: TransactionMode = .perMigration,
        destructiveAllowed: Bool = false, upgrade: SQLSection, downgrade: SQLSection?,
        path: String, checksum: String
    ) {
        self.id = id
        self.parents = parents
        self.dependencies = dependencies
        self.branchLabels = branchLabels
        self.message = message
        self.createDate = createDate
        self.transactionMode = transactionMode
        self.destructiveAllowed = destructiveAllowed
        self.upgrade = upgrade
        self.downgrade = downgrade
        self.path = path
        self.checksum = checksum
    }

    /// Whether the revision can be downgraded: it has a non-empty `-- +downgrade`
    /// section, or its upgrade does nothing (a merge revision), so there is nothing to
    /// undo.
    public var isReversible: Bool { downgrade != nil || !SQLText.hasExecutableContent(upgrade.sql) }

    /// Why an irreversible revision cannot be downgraded, as a message says it: its
    /// downgrade section is missing, or there but empty or only comments.
    public var irreversibleReason: String {
        if let line = downgradeMarkerLine {
            return "its `-- +downgrade` section (line \(line)) is empty or only comments"
        }
        return "it has no `-- +downgrade` section"
    }

    /// The file's name without its directory, as shown in listings.
    public var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Parents and dependencies together: everything that must be applied first.
    public var prerequisites: [String] { parents + dependencies.filter { !parents.contains($0) } }
}

/// One section of a revision file (`-- +upgrade` or `-- +downgrade`) with the line
/// numbers needed to point errors at the right place in the file.
public struct SQLSection: Sendable, Equatable {
    /// The SQL text of the section, lines joined with `\n`.
    public let sql: String
    /// The 1-based line of the file on which `sql` starts.
    public let firstLine: Int
    /// The 1-based line of the `-- +upgrade`/`-- +downgrade` marker itself.
    public let markerLine: Int

    /// Creates a section from its text and position in the file.
    public init(sql: String, firstLine: Int, markerLine: Int) {
        self.sql = sql
        self.firstLine = firstLine
        self.markerLine = markerLine
    }

    /// The file line on which the byte at `offset` of `sql` stands.
    public func fileLine(ofUTF8Offset offset: Int) -> Int {
        var line = firstLine
        var index = 0
        for byte in sql.utf8 {
            if index >= offset { break }
            if byte == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        return line
    }
}
