import ArgumentParser
import SluiceCore
import SluiceDaemon
import SluiceFleet
import SluiceSQLite

/// `status` on a fleet: one line of totals (at head, pending, in flight, failed,
/// unreadable, drifted), then every member that is not at head with what it still needs and why it
/// stopped, so a member that stays behind shows at a glance; with `--database NAME`,
/// every member it names in full. Read from the members themselves, with the running
/// daemon's line (its rollout) first when one serves the fleet.
struct FleetStatus {
    let scope: FleetScope
    let json: Bool
    let exitCode: Bool
    /// List every selected member, at head or not.
    let detailed: Bool

    func run() throws {
        let versionTable = VersionTable(name: scope.configuration.versionTable)
        let graph = RevisionGraph.analyze(try scope.loadVersions().revisions).graph
        let surveys = MemberSurvey.takeAll(scope.members, versionTable: versionTable)
        let drifted = Set(MemberSurvey.drifted(surveys))
        let plans = PlanCache(graph: graph, target: "heads")
        // A member whose sluice lock is held is being migrated now, by the daemon's
        // rollout or by a command: in flight, with what the holder's note says. (The
        // probe is a shared lock taken and let go at once; a writer waiting for the lock
        // waits a few milliseconds more.)
        let statuses = surveys.map { MemberStatus.of($0, plans: plans) }.map { status in
            guard status.state != .atHead, let holder = LockHolderNote.liveHolder(ofDatabase: status.member.path) else { return status }
            return status.inFlight(holder: holder)
        }
        let count = { (state: MemberStatus.State) in statuses.filter { $0.state == state }.count }
        let summary = FleetStatusReport.Summary(members: statuses.count, atHead: count(.atHead), pending: count(.pending), inFlight: count(.inFlight),
                                                failed: count(.failed), unreadable: count(.unreadable), drifted: drifted.count)
        let statePath = FleetSettings(configuration: scope.configuration, glob: scope.glob, versionsPath: scope.versionsPath).stateFilePath
        let daemon = FleetStateDocument.readLive(statePath)
        if json {
            try Output.json(FleetStatusReport(daemon: daemon.map { .init(pid: $0.pid, updatedAt: $0.updatedAt, summary: $0.summary, rollout: $0.rollout) },
                                              databases: scope.glob, heads: graph.heads, summary: summary, members: statuses.map {
                .init(name: $0.member.name, path: $0.member.path, state: $0.state.rawValue, current: $0.current, pending: $0.pending,
                      reason: $0.reason, drifted: drifted.contains($0.member))
            }))
        } else {
            if let daemon {
                print("daemon pid \(daemon.pid), updated \(daemon.updatedAt): \(daemon.summary)")
            }
            print("fleet \(scope.glob): \(summary.members) member(s): \(summary.atHead) at head (\(graph.heads.isEmpty ? "base" : graph.heads.joined(separator: ", "))), \(summary.pending) pending, \(summary.inFlight) in flight, \(summary.failed) failed, \(summary.unreadable) unreadable, \(summary.drifted) drifted")
            for status in statuses where detailed || status.state != .atHead || drifted.contains(status.member) {
                let current = status.current.isEmpty ? "base" : status.current.joined(separator: ",")
                var line = "  \(status.member.name): \(status.state.rawValue) at \(current)"
                if !status.pending.isEmpty { line += ", \(status.pending.count) to go (next \(status.pending[0]))" }
                if drifted.contains(status.member) { line += ", drifted" }
                if let reason = status.reason { line += ": \(reason)" }
                print(line)
            }
        }
        if exitCode && summary.atHead < summary.members { throw ExitCode(3) }
    }
}
