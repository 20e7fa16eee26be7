import ArgumentParser
import SluiceCore
import SluiceDaemon
import SluiceSQLite

/// `sluice check`: validate everything; exit 1 on any problem.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate every revision, rehearse them, compare applied checksums and look for schema drift.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var fleet: AllFlag
    @OptionGroup var output: JSONFlag

    func run() throws {
        let configuration = try Workspace.configuration(for: common.values)
        if let scope = try FleetScope.resolve(common.values, configuration: configuration, all: fleet.all) {
            return try FleetCheck(scope: scope, json: output.json).run()
        }
        let workspace = try Workspace(common.values, configuration: configuration)
        let versions = try workspace.loadVersions()
        let database = try workspace.openReadOnly()
        let report = Checker.check(versions: versions, database: database, versionTable: workspace.versionTable,
                                   rehearsalMaxBytes: workspace.configuration.validation.rehearsalMaxBytes,
                                   policy: RevisionPolicy(allowAttach: workspace.configuration.validation.allowAttach),
                                   copyLimits: workspace.configuration.backups.copyLimits)
        if output.json {
            try Output.json(ValidationReport(
                ok: report.isClean, revisions: report.revisionCount, applied: report.appliedCount, rehearsed: report.rehearsedCount,
                problems: report.problems.map {
                    ValidationReport.Problem(kind: $0.kind, message: $0.message, revision: $0.revision, file: $0.path, line: $0.line)
                }))
        } else {
            for problem in report.problems { print(problem.message) }
            let summary = "\(report.revisionCount) revision(s), \(report.appliedCount) applied, \(report.rehearsedCount) rehearsed"
            if report.isClean { print("OK: \(summary)") } else { print("FAILED: \(report.problems.count) problem(s); \(summary)") }
        }
        if !report.isClean { throw ExitCode(1) }
    }
}
