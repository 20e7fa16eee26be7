import FoundationEssentials
import SluiceCore

/// One problem `sluice check` found, naming the file and line where it can.
public struct CheckProblem: Sendable, CustomStringConvertible {
    /// A stable name for the kind of problem (`parse`, `graph`, `rehearsal`, …).
    public let kind: String
    /// The revision concerned, if any.
    public let revision: String?
    /// The file concerned, if any.
    public let path: String?
    /// The line concerned, if any.
    public let line: Int?
    /// The full message, as printed.
    public let message: String

    public var description: String { message }
}

/// What `sluice check` found.
public struct CheckReport: Sendable {
    /// Every problem, in the order found.
    public var problems: [CheckProblem] = []
    /// How many revision files parsed.
    public var revisionCount = 0
    /// How many revisions the database has applied.
    public var appliedCount = 0
    /// How many revisions were rehearsed.
    public var rehearsedCount = 0
    /// Whether everything passed.
    public var isClean: Bool { problems.isEmpty }
}

/// Validation as a library (SPEC §5): `check` runs it over everything, the daemon over
/// what arrives.
public enum Checker {
    /// Validates every revision file, the graph, the applied files' checksums, schema
    /// drift, and rehearses every revision: the whole history from an empty database
    /// with each downgrade checked, then the pending ones on a copy of the real
    /// database.
    /// - Parameter database: an open read-only connection, or `nil` when the file does
    ///   not exist yet.
    /// - Parameter copyLimits: how far the copy of the data may get in the application's
    ///   way (the `backups` bounds).
    public static func check(versions: LoadedVersions, database: Connection?, versionTable: VersionTable, rehearsalMaxBytes: Int64,
                             policy: RevisionPolicy = RevisionPolicy(), copyLimits: CopyLimits = CopyLimits()) -> CheckReport {
        var report = CheckReport()
        report.revisionCount = versions.revisions.count
        for error in versions.errors {
            report.problems.append(CheckProblem(kind: "parse", revision: nil, path: error.path, line: error.line, message: error.description))
        }
        let analysis = RevisionGraph.analyze(versions.revisions)
        for problem in analysis.problems {
            report.problems.append(CheckProblem(kind: "graph", revision: problem.revisions.first, path: nil, line: nil, message: problem.description))
        }
        let graph = analysis.graph

        // The database: where it is, and whether applied files are what was applied.
        var current: [String] = []
        var applied = Set<String>()
        if let database {
            do {
                current = try versionTable.heads(in: database)
                let recorded = try HistoryTable().appliedChecksums(in: database)
                let parsed = Set(versions.revisions.map(\.id))
                for id in current where !parsed.contains(id) {
                    let file = recorded[id]?.file.map { " (last applied from \($0))" } ?? ""
                    report.problems.append(CheckProblem(kind: "applied-missing", revision: id, path: recorded[id]?.file, line: nil,
                                                        message: "revision \(id) is applied to the database but no file declares it\(file); restore the file"))
                }
                applied = graph.ancestors(of: current.filter { graph[$0] != nil })
                for (id, entry) in recorded where applied.contains(id) {
                    guard let revision = graph[id], let checksum = entry.checksum else { continue }
                    if checksum != revision.checksum {
                        report.problems.append(CheckProblem(kind: "checksum-changed", revision: id, path: revision.path, line: nil,
                                                            message: "\(revision.path): revision \(id) was applied with checksum \(checksum) but the file now has \(revision.checksum); applied revisions are immutable history: restore the file and put the change in a new revision"))
                    }
                }
            } catch {
                report.problems.append(CheckProblem(kind: "database", revision: nil, path: database.path, line: nil, message: "\(database.path): \(error)"))
            }
        }
        report.appliedCount = applied.count

        // The whole history, from empty: each upgrade, its downgrade, the upgrade again.
        let appliedOrder = graph.order.filter { applied.contains($0) }
        let pendingOrder = graph.order.filter { !applied.contains($0) }
        var failed = Set<String>()
        do {
            let rehearsal = try Rehearsal(versionTable: versionTable)
            rehearsal.policy = policy
            var heads: [String] = []
            for (index, id) in (appliedOrder + pendingOrder).enumerated() {
                if index == appliedOrder.count, let database {
                    reportDrift(rehearsal: rehearsal, database: database, versionTable: versionTable, into: &report)
                }
                let revision = graph[id]!
                if let blocker = revision.prerequisites.first(where: failed.contains) {
                    failed.insert(id)
                    report.problems.append(CheckProblem(kind: "not-rehearsed", revision: id, path: revision.path, line: nil,
                                                        message: "\(revision.path): \(id) was not rehearsed: it needs \(blocker), whose upgrade fails (above)"))
                    continue
                }
                let step = graph.step(upgrading: id, from: heads)
                do {
                    try rehearsal.rehearse(step)
                    heads = step.headsAfter
                    report.rehearsedCount += 1
                } catch {
                    report.problems.append(CheckProblem(kind: error.kind.rawValue, revision: id, path: revision.path, line: error.line, message: error.description))
                    // When its upgrade works (a destructive change, a downgrade that does
                    // not restore the schema), what comes after it is rehearsed on top of
                    // it, so one run lists every problem; else on the schema without it.
                    if !rehearsal.keepGoing(after: step) { failed.insert(id) }
                    heads = (try? rehearsal.currentHeads()) ?? heads
                }
            }
            if appliedOrder.count == graph.order.count, let database, !appliedOrder.isEmpty {
                reportDrift(rehearsal: rehearsal, database: database, versionTable: versionTable, into: &report)
            }
        } catch {
            report.problems.append(CheckProblem(kind: "rehearsal", revision: nil, path: nil, line: nil, message: "rehearsal could not run: \(error)"))
        }

        // The pending revisions on the real data, when there is real data.
        if let database, !appliedOrder.isEmpty, !pendingOrder.isEmpty {
            do {
                let rehearsal = try Rehearsal(copying: database, maxBytes: rehearsalMaxBytes, versionTable: versionTable, limits: copyLimits)
                rehearsal.policy = policy
                var heads = current
                var reported = Set(report.problems.compactMap(\.revision))
                for id in pendingOrder where !failed.contains(id) && !graph[id]!.prerequisites.contains(where: failed.contains) {
                    let step = graph.step(upgrading: id, from: heads)
                    do {
                        try rehearsal.rehearse(step, roundTrip: false)
                        heads = step.headsAfter
                    } catch {
                        // A problem the history's rehearsal already reported is told once.
                        if reported.insert(id).inserted {
                            let revision = graph[id]!
                            report.problems.append(CheckProblem(kind: error.kind.rawValue, revision: id, path: revision.path, line: error.line,
                                                                message: error.description + " (on a copy of the real database)"))
                        }
                        if !rehearsal.keepGoing(after: step) { failed.insert(id) }
                        heads = (try? rehearsal.currentHeads()) ?? heads
                    }
                }
            } catch {
                report.problems.append(CheckProblem(kind: "rehearsal", revision: nil, path: database.path, line: nil, message: "rehearsal on a copy of \(database.path) could not run: \(error)"))
            }
        }
        return report
    }

    /// Compares the real schema with what the applied revisions produce from empty.
    static func reportDrift(rehearsal: Rehearsal, database: Connection, versionTable: VersionTable, into report: inout CheckReport) {
        let excluded: Set<String> = [versionTable.name, HistoryTable.name]
        guard let expected = try? SchemaSnapshot.capture(rehearsal.connection, excluding: excluded),
              let actual = try? SchemaSnapshot.capture(database, excluding: excluded) else { return }
        let (missing, extra) = actual.differences(from: expected)
        guard !missing.isEmpty || !extra.isEmpty else { return }
        var details: [String] = []
        if !missing.isEmpty { details.append("the revisions create but the database lacks: " + missing.joined(separator: "; ")) }
        if !extra.isEmpty { details.append("the database has but no revision creates: " + extra.joined(separator: "; ")) }
        report.problems.append(CheckProblem(kind: "schema-drift", revision: nil, path: database.path, line: nil,
                                            message: "\(database.path): schema drift: " + details.joined(separator: " | ")
                                                + "; to turn the drift into a revision to review: sluice create --autogenerate --from-database -m \"Sync schema\""))
    }
}
