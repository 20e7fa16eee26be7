import ArgumentParser
import SluiceCore
import SluiceFleet
import SluiceSQLite

/// `check --all`: the whole check (files, graph, applied checksums, the database's schema
/// against its history, the rehearsal of what is pending) once per group of members at
/// the same version rows with the same schema, on the group's first member; every member's
/// applied history; and members whose schema drifted from the others at the same rows.
/// Exit 1 on any problem.
struct FleetCheck {
    let scope: FleetScope
    let json: Bool

    func run() throws {
        let configuration = scope.configuration
        let versionTable = VersionTable(name: configuration.versionTable)
        let versions = try scope.loadVersions()
        let graph = RevisionGraph.analyze(versions.revisions).graph
        let surveys = MemberSurvey.takeAll(scope.members, versionTable: versionTable)
        var problems: [ValidationReport.Problem] = []
        var groups: [String: [MemberSurvey]] = [:]
        for survey in surveys {
            if let error = survey.error {
                problems.append(.init(kind: "unreadable", message: "\(survey.member.name): \(error)", revision: nil, file: survey.member.path, line: nil))
                continue
            }
            groups[survey.schema + "|" + survey.rows.sorted().joined(separator: ","), default: []].append(survey)
        }
        var rehearsed = 0
        for group in groups.values.sorted(by: { $0[0].member < $1[0].member }) {
            let first = group[0]
            let opened = try? HotJournalRecovery.openReadOnly(first.member.path).connection
            let report = Checker.check(versions: versions, database: opened, versionTable: versionTable,
                                       rehearsalMaxBytes: configuration.validation.rehearsalMaxBytes,
                                       policy: RevisionPolicy(allowAttach: configuration.validation.allowAttach),
                                       copyLimits: configuration.backups.copyLimits)
            rehearsed += report.rehearsedCount
            let names = group.count == 1 ? first.member.name : "\(first.member.name) and \(group.count - 1) other(s) at the same revisions and schema"
            for problem in report.problems {
                problems.append(.init(kind: problem.kind, message: "\(names): \(problem.message)", revision: problem.revision, file: problem.path, line: problem.line))
            }
            for survey in group.dropFirst() {
                guard let connection = try? HotJournalRecovery.openReadOnly(survey.member.path).connection else { continue }
                for message in HistoryIntegrity.problems(in: connection, graph: graph, versionTable: versionTable) {
                    problems.append(.init(kind: "history", message: "\(survey.member.name): \(message)", revision: nil, file: survey.member.path, line: nil))
                }
            }
        }
        for member in MemberSurvey.drifted(surveys) {
            problems.append(.init(kind: "fleet-drift", message: "\(member.name): its schema differs from the other members at the same revisions; it is rehearsed on its own, but it is not the schema the history builds elsewhere (`sluice diff --database \(member.name) --from-database` shows how)", revision: nil, file: member.path, line: nil))
        }
        let summary = "\(scope.members.count) member(s) in \(groups.count) group(s), \(versions.revisions.count) revision(s), \(rehearsed) rehearsed"
        if json {
            try Output.json(ValidationReport(ok: problems.isEmpty, revisions: versions.revisions.count, applied: 0, rehearsed: rehearsed, problems: problems))
        } else {
            for problem in problems { print(problem.message) }
            print(problems.isEmpty ? "OK: \(summary)" : "FAILED: \(problems.count) problem(s); \(summary)")
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
