import FoundationEssentials
import SluiceCore

/// Alembic's text forms of a revision, so `history`, `heads` and friends read the same.
struct RevisionFormatting {
    let graph: RevisionGraph
    let current: Set<String>

    /// `parents -> id (labels) (head) (current) (branchpoint) (mergepoint), message`.
    func line(_ id: String, parents includeParents: Bool = true, doc: Bool = true) -> String {
        let revision = graph[id]!
        var text = id
        if includeParents {
            let down = revision.parents.isEmpty ? "<base>" : revision.parents.joined(separator: ", ")
            text = revision.dependencies.isEmpty ? "\(down) -> \(id)" : "\(down) (\(revision.dependencies.joined(separator: ", "))) -> \(id)"
        }
        let labels = graph.labels(of: id)
        if !labels.isEmpty { text += " (\(labels.joined(separator: ", ")))" }
        text += markers(id)
        if doc { text += ", \(revision.message)" }
        return text
    }

    /// The head, current, branch-point and merge-point markers.
    func markers(_ id: String) -> String {
        let revision = graph[id]!
        let isHead = graph.children[id] == nil
        let isRealHead = isHead && graph.dependents[id] == nil
        var text = ""
        if isRealHead { text += " (head)" } else if isHead { text += " (effective head)" }
        if current.contains(id) { text += " (current)" }
        if (graph.children[id]?.count ?? 0) > 1 { text += " (branchpoint)" }
        if revision.parents.count > 1 { text += " (mergepoint)" }
        return text
    }

    /// Alembic's verbose entry (`history --verbose`, `show`).
    func verbose(_ id: String) -> String {
        let revision = graph[id]!
        var lines = ["Rev: \(id)\(markers(id))"]
        if revision.parents.count > 1 {
            lines.append("Merges: \(revision.parents.joined(separator: ", "))")
        } else {
            lines.append("Parent: \(revision.parents.first ?? "<base>")")
        }
        if !revision.dependencies.isEmpty { lines.append("Also depends on: \(revision.dependencies.joined(separator: ", "))") }
        if let children = graph.children[id], children.count > 1 { lines.append("Branches into: \(children.joined(separator: ", "))") }
        if !revision.branchLabels.isEmpty { lines.append("Branch names: \(revision.branchLabels.joined(separator: ", "))") }
        lines.append("Path: \(revision.path)")
        lines.append("")
        lines.append("    \(revision.message)")
        lines.append("")
        lines.append("    Revision ID: \(id)")
        lines.append("    Revises: \(revision.parents.isEmpty ? "None" : revision.parents.joined(separator: ", "))")
        if let date = revision.createDate { lines.append("    Create Date: \(date)") }
        if revision.transactionMode == .none { lines.append("    Transaction: none") }
        if revision.destructiveAllowed { lines.append("    Destructive: allowed") }
        if !revision.isReversible { lines.append("    (irreversible: no downgrade section)") }
        lines.append("    Checksum: \(revision.checksum)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The revision as `--json` prints it.
    func json(_ id: String) -> RevisionJSON {
        RevisionJSON(id, in: graph, current: current)
    }
}

