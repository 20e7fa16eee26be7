/// The outcome of building a graph from whatever files are on disk: the usable part and
/// the problems that kept the rest out.
public struct GraphAnalysis: Sendable {
    /// The graph of every revision that has no problem and whose ancestors have none.
    public let graph: RevisionGraph
    /// The problems found, in a stable order.
    public let problems: [GraphProblem]
    /// Revisions left out because an ancestor has a problem (not counted in `problems`),
    /// each with the id of the revision it is waiting on.
    public let blockedByAncestor: [String: String]
}

extension RevisionGraph {
    /// Builds the largest usable graph from `revisions` and lists what is wrong with the
    /// rest. Never throws: the daemon needs the usable part even while a file is bad.
    public static func analyze(_ revisions: [Revision]) -> GraphAnalysis {
        var problems: [GraphProblem] = []
        var byID: [String: [Revision]] = [:]
        for revision in revisions { byID[revision.id, default: []].append(revision) }
        var usable: [String: Revision] = [:]
        for (id, group) in byID {
            if group.count > 1 {
                problems.append(.duplicateID(id: id, paths: group.map(\.path).sorted()))
            } else {
                usable[id] = group[0]
            }
        }

        // Branch labels must be unique and must not shadow a revision id.
        var labelOwners: [String: [String]] = [:]
        for (id, revision) in usable {
            for label in revision.branchLabels { labelOwners[label, default: []].append(id) }
        }
        var labels: [String: String] = [:]
        for (label, owners) in labelOwners {
            if owners.count > 1 {
                problems.append(.duplicateLabel(label: label, revisions: owners.sorted()))
            } else if byID[label] != nil {
                problems.append(.labelIsRevisionID(label: label, revision: owners[0]))
            } else {
                labels[label] = owners[0]
            }
        }

        // Missing parents and dependencies; their descendants are blocked too.
        var blocked: [String: String] = [:]
        for (id, revision) in usable {
            for parent in revision.parents where usable[parent] == nil && byID[parent] == nil {
                problems.append(.missingParent(revision: id, path: revision.path, parent: parent))
            }
            for dependency in revision.dependencies where usable[dependency] == nil && byID[dependency] == nil {
                problems.append(.missingDependency(revision: id, path: revision.path, dependency: dependency))
            }
        }
        let directlyBad = Set(problems.flatMap(\.revisions))
        for id in directlyBad { usable[id] = nil }
        var changed = true
        while changed {
            changed = false
            for (id, revision) in usable {
                if let missing = revision.prerequisites.first(where: { usable[$0] == nil }) {
                    blocked[id] = blocked[missing] ?? missing
                    usable[id] = nil
                    changed = true
                }
            }
        }

        // Kahn's algorithm; what it cannot order is in or behind a cycle.
        let (order, leftover) = topologicalOrder(usable)
        var remaining = leftover
        while !remaining.isEmpty {
            // Report each cycle; what merely hangs off one waits on it.
            let cycle = findCycle(in: remaining, revisions: usable)
            problems.append(.cycle(revisions: cycle, paths: cycle.map { usable[$0]!.path }))
            let inCycle = Set(cycle)
            var downstream = inCycle
            var changed = true
            while changed {
                changed = false
                for id in remaining where !downstream.contains(id) {
                    if usable[id]!.prerequisites.contains(where: downstream.contains) {
                        downstream.insert(id)
                        blocked[id] = cycle[0]
                        changed = true
                    }
                }
            }
            remaining.subtract(downstream)
        }
        for id in leftover { usable[id] = nil }
        for (label, owner) in labels where usable[owner] == nil { labels[label] = nil }

        problems.sort { $0.description < $1.description }
        let graph = RevisionGraph(revisions: usable, order: order, labels: labels)
        return GraphAnalysis(graph: graph, problems: problems, blockedByAncestor: blocked)
    }

    /// Orders `revisions` parents-and-dependencies first, smallest id first among equals;
    /// returns the ids it could not order (cycles and what hangs off them).
    static func topologicalOrder(_ revisions: [String: Revision]) -> (order: [String], leftover: Set<String>) {
        var pending: [String: Int] = [:]
        var successors: [String: [String]] = [:]
        for (id, revision) in revisions {
            let prerequisites = revision.prerequisites
            pending[id] = prerequisites.count
            for prerequisite in prerequisites { successors[prerequisite, default: []].append(id) }
        }
        var ready = pending.filter { $0.value == 0 }.map(\.key).sorted(by: >)
        var order: [String] = []
        order.reserveCapacity(revisions.count)
        while let next = ready.popLast() {
            order.append(next)
            for successor in successors[next] ?? [] {
                pending[successor]! -= 1
                if pending[successor] == 0 {
                    // `ready` is kept sorted descending so that popLast yields the smallest.
                    let index = ready.partitioningIndex { $0 < successor }
                    ready.insert(successor, at: index)
                }
            }
        }
        let leftover = Set(pending.filter { $0.value > 0 }.map(\.key))
        return (order, leftover)
    }

    /// One cycle among `ids`, as a path of revision ids, starting at its smallest id.
    static func findCycle(in ids: Set<String>, revisions: [String: Revision]) -> [String] {
        // Walk prerequisites from any leftover node; every leftover node has one that is
        // also leftover, so the walk must come back to a node it has seen.
        var current = ids.min()!
        var seen: [String: Int] = [:]
        var path: [String] = []
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            current = revisions[current]!.prerequisites.filter { ids.contains($0) }.min()!
        }
        var cycle = Array(path[seen[current]!...]).reversed().map { $0 }
        let smallest = cycle.firstIndex(of: cycle.min()!)!
        cycle = Array(cycle[smallest...] + cycle[..<smallest])
        return cycle
    }
}

extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition`, assuming the
    /// array is partitioned by it (binary search).
    func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsInSecondPartition(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
