import ArgumentParser
import SluiceCore
import SluiceFleet
import SluiceSQLite

/// `sluice current`: the revisions in the version table.
struct Current: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the revisions the database is at.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var fleet: AllFlag
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Show each revision in full.") var verbose = false
    @Flag(name: .long, help: "Exit 1 unless the database is at every head.") var checkHeads = false

    func run() throws {
        let configuration = try Workspace.configuration(for: common.values)
        if let scope = try FleetScope.resolve(common.values, configuration: configuration, all: fleet.all) {
            return try runFleet(scope)
        }
        let workspace = try Workspace(common.values, configuration: configuration)
        let current = try workspace.currentHeads()
        let analysis = RevisionGraph.analyze(try workspace.loadVersions().revisions)
        let graph = analysis.graph
        let format = RevisionFormatting(graph: graph, current: Set(current))
        let atHeads = Set(current) == Set(graph.heads)
        if output.json {
            try Output.json(CurrentReport(
                database: workspace.databasePath, current: current, heads: graph.heads, atHeads: atHeads,
                revisions: current.map { graph[$0] != nil ? .known(format.json($0)) : .unknown(id: $0) }))
        } else {
            for id in current {
                if graph[id] == nil {
                    print("\(id) (unknown: no file in \(workspace.versionsPath) declares it)")
                } else {
                    print(verbose ? format.verbose(id) : id + format.markers(id).replacing(" (current)", with: ""))
                }
            }
        }
        if checkHeads && !atHeads {
            throw CLIError.failed("the database is not at every head: it is at \(current.isEmpty ? "base" : current.joined(separator: ", ")), the heads are \(graph.heads.joined(separator: ", ")); run `sluice upgrade heads`")
        }
    }

    /// `current --all`: one line per member (`acme.db: e9a3b5c7d1f2 (head)`), members
    /// behind marked; with `--check-heads`, exit 1 when any member is behind.
    private func runFleet(_ scope: FleetScope) throws {
        let versions = try scope.loadVersions()
        let graph = RevisionGraph.analyze(versions.revisions).graph
        let versionTable = VersionTable(name: scope.configuration.versionTable)
        let surveys = MemberSurvey.takeAll(scope.members, versionTable: versionTable)
        let drifted = Set(MemberSurvey.drifted(surveys))
        let heads = Set(graph.heads)
        let members = surveys.map { survey in
            FleetCurrentReport.Member(name: survey.member.name, path: survey.member.path, current: survey.error == nil ? survey.rows : nil,
                                      atHeads: survey.error == nil && Set(survey.rows) == heads, drifted: drifted.contains(survey.member), error: survey.error)
        }
        let behind = members.filter { !$0.atHeads }.count
        if output.json {
            try Output.json(FleetCurrentReport(databases: scope.glob, heads: graph.heads, members: members, behind: behind))
        } else {
            for member in members {
                let name = member.name + (member.drifted ? " (drifted)" : "")
                if let error = member.error {
                    print("\(name): unreadable: \(error)")
                } else if let current = member.current {
                    print("\(name): \(current.isEmpty ? "base" : current.joined(separator: ",")) \(member.atHeads ? "(head)" : "(behind)")")
                }
            }
            print("\(members.count - behind)/\(members.count) at \(graph.heads.isEmpty ? "base" : graph.heads.joined(separator: ", "))\(drifted.isEmpty ? "" : "; drifted: \(drifted.map(\.name).sorted().joined(separator: ", "))")")
        }
        if checkHeads && behind > 0 {
            throw CLIError.failed("\(behind) of \(members.count) member(s) are not at every head (\(graph.heads.joined(separator: ", "))); run `sluice upgrade --all`")
        }
    }
}
