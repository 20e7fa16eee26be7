/// The revision graph as Alembic 1.20's `RevisionMap` models it, so that `upgrade`,
/// `downgrade` and `stamp` choose the same revisions and leave the same
/// `alembic_version` rows as Alembic on every graph, including its corner cases:
/// normalized dependencies, "real" heads and bases, branch labels spread along a branch,
/// relative walks, and the refusals Alembic makes.
///
/// `RevisionGraph` stays the project's own view (validation, history, the daemon); this
/// one is built from it for the commands whose answers must be Alembic's.
public struct AlembicRevisionMap: Sendable {
    /// One revision with the relations Alembic derives for it.
    struct Node: Sendable {
        let id: String
        /// `down_revision`: the parents.
        let versionedDown: [Int]
        /// `depends_on`, resolved to revisions.
        let dependencies: [Int]
        /// Dependencies minus those an ancestor (through parents) already depends on.
        var normalizedDependencies: [Int] = []
        /// Parents then dependencies, without repeats.
        var allDown: [Int] = []
        /// Parents then normalized dependencies: the edges Alembic walks down.
        var normalizedDown: [Int] = []
        /// Children through parents (`nextrev`).
        var nextrev: Set<Int> = []
        /// Children through parents or dependencies (`_all_nextrev`).
        var allNextrev: Set<Int> = []
        /// The labels the file declares.
        let ownLabels: [String]
        /// The labels that apply along its branch.
        var branchLabels: Set<String> = []

        var isMergePoint: Bool { versionedDown.count > 1 }
        var isRealBranchPoint: Bool { allNextrev.count > 1 }
    }

    var nodes: [Node] = []
    /// Revision id or branch label → node.
    var lookup: [String: Int] = [:]
    /// Revisions nobody names as a parent, in file order.
    var heads: [Int] = []
    /// Revisions nobody names as a parent or dependency, in file order.
    var realHeads: [Int] = []
    /// Revisions without parents, in file order.
    var bases: [Int] = []

    /// Builds the map from a graph, in file-name order (Alembic reads its versions
    /// directory sorted by file name, and that order breaks its ties).
    public init(_ graph: RevisionGraph) {
        let revisions = graph.revisions.values.sorted {
            let left = ($0.path.split(separator: "/").last.map(String.init) ?? $0.path, $0.id)
            let right = ($1.path.split(separator: "/").last.map(String.init) ?? $1.path, $1.id)
            return left < right
        }
        var position: [String: Int] = [:]
        for (index, revision) in revisions.enumerated() { position[revision.id] = index }
        for revision in revisions {
            lookup[revision.id] = position[revision.id]
        }
        for revision in revisions {
            for label in revision.branchLabels where lookup[label] == nil { lookup[label] = position[revision.id] }
        }
        nodes = revisions.map { revision in
            Node(id: revision.id,
                 versionedDown: revision.parents.compactMap { position[$0] },
                 dependencies: revision.dependencies.compactMap { lookup[$0] },
                 ownLabels: revision.branchLabels)
        }
        for index in nodes.indices {
            nodes[index].allDown = Self.unique(nodes[index].versionedDown + nodes[index].dependencies)
        }
        var isHead = Array(repeating: true, count: nodes.count)
        var isRealHead = Array(repeating: true, count: nodes.count)
        for index in nodes.indices {
            for down in nodes[index].allDown {
                nodes[down].allNextrev.insert(index)
                if nodes[index].versionedDown.contains(down) {
                    nodes[down].nextrev.insert(index)
                    isHead[down] = false
                }
                isRealHead[down] = false
            }
        }
        for index in nodes.indices {
            var normalized = nodes[index].dependencies
            if !normalized.isEmpty {
                for ancestor in ancestors(of: [index], includeDependencies: false) where ancestor != index {
                    let theirs = nodes[ancestor].dependencies
                    normalized.removeAll(where: theirs.contains)
                }
            }
            nodes[index].normalizedDependencies = normalized
            nodes[index].normalizedDown = Self.unique(nodes[index].versionedDown + normalized)
        }
        heads = nodes.indices.filter { isHead[$0] }
        realHeads = nodes.indices.filter { isRealHead[$0] }
        bases = nodes.indices.filter { nodes[$0].versionedDown.isEmpty }
        spreadBranchLabels()
    }

    /// Alembic's `_add_branches`: a label applies to the revision, to its descendants
    /// through parents, and down from the branch's tip to the nearest branch or merge
    /// point.
    private mutating func spreadBranchLabels() {
        for index in nodes.indices where !nodes[index].ownLabels.isEmpty {
            let labels = nodes[index].ownLabels
            var last = index
            for node in descendants(of: [index], includeDependencies: false) {
                nodes[node].branchLabels.formUnion(labels)
                last = node
            }
            var parent: Int? = last
            while let current = parent, !nodes[current].isRealBranchPoint, !nodes[current].isMergePoint {
                nodes[current].branchLabels.formUnion(labels)
                parent = nodes[current].versionedDown.first
            }
        }
    }

    /// The id of a node.
    func id(_ node: Int) -> String { nodes[node].id }

    static func unique(_ values: [Int]) -> [Int] {
        var seen = Set<Int>()
        return values.filter { seen.insert($0).inserted }
    }
}
