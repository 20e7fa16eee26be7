import SluiceCore

/// One revision in `--json` output (`heads`, `branches`, `show`, `history`, `current`):
/// its header, where it sits in the graph and whether the database is at it, so a script
/// needs no second command to place it.
struct RevisionJSON: Encodable {
    /// `Revision ID`.
    let id: String
    /// `Revises`: none for a base, several for a merge.
    let parents: [String]
    /// `Depends On`.
    let dependsOn: [String]
    /// `Branch Labels`.
    let branchLabels: [String]
    /// The header's first line.
    let message: String
    /// `Create Date` as written, `null` when the header has none.
    @NullWhenNil var createDate: String?
    /// The file.
    let path: String
    /// `sha256:` and the hex digest, as recorded when it is applied.
    let checksum: String
    /// `Transaction`: `per-migration` or `none`.
    let transaction: String
    /// `Destructive: allowed`.
    let destructiveAllowed: Bool
    /// Whether it has a downgrade.
    let reversible: Bool
    /// Nothing revises it (a revision may still depend on it).
    let isHead: Bool
    /// It revises nothing.
    let isBase: Bool
    /// More than one revision revises it.
    let isBranchPoint: Bool
    /// It revises more than one revision.
    let isMergePoint: Bool
    /// It is a row of the version table.
    let isCurrent: Bool

    private enum CodingKeys: String, CodingKey {
        case id, parents, message, path, checksum, transaction, reversible
        case dependsOn = "depends_on"
        case branchLabels = "branch_labels"
        case createDate = "create_date"
        case destructiveAllowed = "destructive_allowed"
        case isHead = "is_head"
        case isBase = "is_base"
        case isBranchPoint = "is_branch_point"
        case isMergePoint = "is_merge_point"
        case isCurrent = "is_current"
    }

    /// The revision `id` of `graph` (which must hold it), `current` being the version
    /// table's rows.
    init(_ id: String, in graph: RevisionGraph, current: Set<String>) {
        let revision = graph[id]!
        self.id = id
        parents = revision.parents
        dependsOn = revision.dependencies
        branchLabels = revision.branchLabels
        message = revision.message
        createDate = revision.createDate
        path = revision.path
        checksum = revision.checksum
        transaction = revision.transactionMode.rawValue
        destructiveAllowed = revision.destructiveAllowed
        reversible = revision.isReversible
        isHead = graph.children[id] == nil
        isBase = revision.parents.isEmpty
        isBranchPoint = (graph.children[id]?.count ?? 0) > 1
        isMergePoint = revision.parents.count > 1
        isCurrent = current.contains(id)
    }
}
