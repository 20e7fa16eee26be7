import SluiceConfig
import SluiceCore
import SluiceFleet

/// The members a fleet command works on: every member of `databases` (`--all`), or those
/// `--database NAME` names (a file name, with or without its extension, or a glob).
struct FleetScope {
    let configuration: SluiceConfiguration
    /// The glob the members come from.
    let glob: String
    let members: [FleetMember]
    let versionsPath: String

    /// The fleet the options ask for, or `nil` for the single database (no `databases`
    /// in the configuration, or `--database` with a path).
    /// - Throws: `CLIError.usage` for `--all` without `databases`, or with a path.
    static func resolve(_ options: WorkspaceOptions, configuration: SluiceConfiguration, all: Bool) throws -> FleetScope? {
        guard let glob = configuration.databases else {
            if all { throw CLIError.usage("--all works on a fleet: the configuration has no `databases = \"/dir/*.db\"`") }
            return nil
        }
        if let selector = options.database {
            if selector.contains("/") {
                if all { throw CLIError.usage("--all and --database PATH exclude each other") }
                return nil
            }
            if all { throw CLIError.usage("--all and --database NAME exclude each other: --all is every member") }
        } else if !all {
            return nil
        }
        let everyone = try members(glob)
        let chosen = try options.database.map { try select(everyone, $0) } ?? everyone
        let versions = options.versions.map { PathText.resolve($0, relativeTo: PathText.currentDirectory()) }
            ?? configuration.versions ?? PathText.resolve("migrations/versions", relativeTo: PathText.currentDirectory())
        return FleetScope(configuration: configuration, glob: glob, members: chosen, versionsPath: versions)
    }

    /// The members of `glob` now.
    static func members(_ glob: String) throws -> [FleetMember] {
        do { return try FleetMembers.list(glob: glob) } catch {
            throw CLIError.failed("cannot list the fleet's directory \(PathText.parent(of: glob)) (databases = \"\(glob)\"): \(error)")
        }
    }

    /// The members `selector` names, at least one.
    static func select(_ members: [FleetMember], _ selector: String) throws -> [FleetMember] {
        do { return try FleetMembers.select(members, [selector]) } catch {
            throw CLIError.usage("--database \(selector): \(error)")
        }
    }

    /// The parsed revision files, failing on none.
    func loadVersions() throws -> LoadedVersions {
        do { return try VersionsDirectory.load(versionsPath) } catch { throw CLIError.usage("\(error)") }
    }

    /// The revision graph, strictly, as `upgrade` reads it (`Workspace.graph`).
    func graph() throws -> RevisionGraph {
        let loaded = try loadVersions()
        let analysis = RevisionGraph.analyze(loaded.revisions)
        let messages = loaded.errors.map(\.description) + analysis.problems.map(\.description)
        guard messages.isEmpty else {
            throw CLIError.failed(messages.joined(separator: "\n") + "\nfix the files above (`sluice check` lists every problem)")
        }
        return analysis.graph
    }
}
