import SluiceCore

/// Whether the applied history of a database still matches the versions directory: every
/// version row has a file, and no applied revision's file changed since it was applied
/// (its checksum in `sluice_history`). Applied revisions are immutable; a database whose
/// history broke is changed by nobody (`upgrade`, `downgrade`, a fleet rollout) until the
/// files are restored.
public enum HistoryIntegrity {
    /// One sentence per problem, naming the revision, the file and the way out; empty
    /// when the history is intact or cannot be read (the writer then reads it again and
    /// fails on its own).
    public static func problems(in connection: Connection, graph: RevisionGraph, versionTable: VersionTable) -> [String] {
        guard let current = try? versionTable.heads(in: connection),
              let recorded = try? HistoryTable().appliedChecksums(in: connection) else { return [] }
        var problems: [String] = []
        for id in current where graph[id] == nil {
            problems.append("revision \(id) is applied to the database but no file declares it\(recorded[id]?.file.map { " (last applied from \($0))" } ?? ""); restore the file")
        }
        let applied = graph.ancestors(of: current.filter { graph[$0] != nil })
        for (id, entry) in recorded.sorted(by: { $0.key < $1.key }) where applied.contains(id) {
            guard let revision = graph[id], let checksum = entry.checksum, checksum != revision.checksum else { continue }
            problems.append("\(revision.path): revision \(id) was applied with checksum \(checksum) but the file now has \(revision.checksum); applied revisions are immutable history: restore the file and put the change in a new revision")
        }
        return problems
    }
}
