import SluiceCore
import SluiceSQLite

/// Finds the imported upgrades that drop data, so their files can say
/// `Destructive: allowed` as sluice requires (SPEC §5.4): an Alembic revision that drops
/// a table or a column (directly or by a batch rebuild) does it on purpose, and history
/// already applied is not reviewed again.
///
/// It rehearses the rendered history from an empty database with sluice's own rehearsal,
/// upgrades only, in graph order, and keeps what the destructive-change check reports.
/// A revision that could not be rendered counts as what did render of it (for a data
/// migration, nothing), so the revisions after it are still scanned.
enum DestructiveScan {
    /// What each destructive upgrade loses, by revision id.
    /// - Parameter files: every imported file; `paths` says where each will be written.
    static func losses(of files: [ImportedRevisionFile], paths: [String: String], versionTable: VersionTable) -> [String: [String]] {
        var revisions: [Revision] = []
        for file in files {
            let path = paths[file.revision.id] ?? file.fileName
            guard let revision = try? RevisionFileParser.parse(Array(file.text(marked: false).utf8), path: path) else { continue }
            revisions.append(revision)
        }
        let analysis = RevisionGraph.analyze(revisions)
        guard analysis.problems.isEmpty, let rehearsal = try? Rehearsal(versionTable: versionTable) else { return [:] }
        var found: [String: [String]] = [:]
        var heads: [String] = []
        for id in analysis.graph.order {
            let step = analysis.graph.step(upgrading: id, from: heads)
            do {
                try rehearsal.rehearse(step, roundTrip: false)
            } catch {
                if error.kind == .destructive { found[id] = error.losses }
                guard rehearsal.keepGoing(after: step) else { break }
            }
            heads = step.headsAfter
        }
        return found
    }
}
