/// The revisions of a versions directory as Alembic sees them: parents, children,
/// dependencies, labels, and one deterministic topological order.
///
/// The order is Kahn's algorithm over parent and dependency edges; when several
/// revisions are ready at once, the smallest revision id (byte order) goes first. The
/// same files therefore always give the same order, on every host.
public struct RevisionGraph: Sendable {
    /// Every usable revision by id.
    public let revisions: [String: Revision]
    /// The topological order: parents and dependencies before their children.
    public let order: [String]
    /// Children through `Revises` only (as Alembic's `nextrev`), in graph order.
    public let children: [String: [String]]
    /// Revisions that list a revision in `Depends On`, in graph order.
    public let dependents: [String: [String]]
    /// Branch label → the revision that declares it.
    public let labels: [String: String]
    /// Each revision's index in `order`.
    public let position: [String: Int]
    /// Each labelled revision's inherited labels (its own and its ancestors' through
    /// parents), sorted; computed once, in graph order, so `history` stays linear.
    private let inheritedLabels: [String: [String]]

    /// Builds a graph from revisions that are known to be consistent.
    /// - Throws: `GraphError` with every problem when they are not.
    public init(_ revisions: [Revision]) throws(GraphError) {
        let analysis = RevisionGraph.analyze(revisions)
        guard analysis.problems.isEmpty else { throw GraphError(problems: analysis.problems) }
        self = analysis.graph
    }

    init(revisions: [String: Revision], order: [String], labels: [String: String]) {
        self.revisions = revisions
        self.order = order
        self.labels = labels
        var position: [String: Int] = [:]
        position.reserveCapacity(order.count)
        for (index, id) in order.enumerated() { position[id] = index }
        self.position = position
        var children: [String: [String]] = [:]
        var dependents: [String: [String]] = [:]
        for id in order {
            let revision = revisions[id]!
            for parent in revision.parents { children[parent, default: []].append(id) }
            for dependency in revision.dependencies { dependents[dependency, default: []].append(id) }
        }
        self.children = children
        self.dependents = dependents
        var inherited: [String: [String]] = [:]
        if !labels.isEmpty {
            for id in order {
                let revision = revisions[id]!
                var set = Set(revision.branchLabels)
                for parent in revision.parents { set.formUnion(inherited[parent] ?? []) }
                if !set.isEmpty { inherited[id] = set.sorted() }
            }
        }
        inheritedLabels = inherited
    }

    /// Revisions that are nobody's parent (Alembic's `heads`), in graph order.
    public var heads: [String] { order.filter { children[$0] == nil } }
    /// Revisions without a parent, in graph order.
    public var bases: [String] { order.filter { revisions[$0]!.parents.isEmpty } }
    /// Revisions with several children.
    public var branchPoints: [String] { order.filter { (children[$0]?.count ?? 0) > 1 } }
    /// Revisions with several parents.
    public var mergePoints: [String] { order.filter { revisions[$0]!.parents.count > 1 } }
    /// Whether the graph holds no revision at all.
    public var isEmpty: Bool { order.isEmpty }

    /// The revision with this exact id.
    public subscript(id: String) -> Revision? { revisions[id] }

    /// The branch labels that apply to a revision: its own and those of the labelled
    /// revisions it descends from through parents.
    public func labels(of id: String) -> [String] {
        inheritedLabels[id] ?? []
    }

    /// Sorts ids into graph order.
    public func sorted(_ ids: some Sequence<String>) -> [String] {
        ids.sorted { (position[$0] ?? Int.max, $0) < (position[$1] ?? Int.max, $1) }
    }
}
