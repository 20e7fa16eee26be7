import FoundationEssentials
import SluiceConfig
import SluiceCore
import SluiceDaemon
import SluiceFleet
import SluiceOS
import SluiceSQLite

/// Everything a command works on: the configuration, the database path, the versions
/// directory, resolved from `--config`, the configuration file and the overrides.
struct Workspace {
    let configuration: SluiceConfiguration
    let databasePath: String
    let versionsPath: String
    let versionTable: VersionTable

    /// Resolves the workspace.
    /// - Throws: `CLIError.usage` (exit 2) for a missing or invalid configuration.
    init(_ options: CommonOptions, requireDatabase: Bool = true) throws {
        try self.init(options.values, requireDatabase: requireDatabase)
    }

    /// Resolves the workspace from plain values.
    init(_ options: WorkspaceOptions, requireDatabase: Bool = true) throws {
        try self.init(options, configuration: try Self.configuration(for: options), requireDatabase: requireDatabase)
    }

    /// The configuration `options` name (`--config`, else the default paths, else the
    /// defaults), before the command line's overrides.
    static func configuration(for options: WorkspaceOptions) throws -> SluiceConfiguration {
        if let path = options.config { return try Self.load(path) }
        if let found = Self.defaultConfigurationPaths.first(where: PathText.exists) { return try Self.load(found) }
        return .defaults
    }

    /// Resolves the workspace on an already loaded configuration. With a fleet
    /// (`databases`), `--database NAME` names one member (its file name, with or without
    /// the extension); a value with a `/` is a path, as always.
    init(_ options: WorkspaceOptions, configuration loaded: SluiceConfiguration, requireDatabase: Bool = true) throws {
        var configuration = loaded
        let cwd = PathText.currentDirectory()
        func absolute(_ path: String) -> String {
            PathText.resolve(path, relativeTo: cwd)
        }
        if let glob = configuration.databases {
            if let selector = options.database, !selector.contains("/") {
                let members = try FleetScope.members(glob)
                let matched = try FleetScope.select(members, selector)
                guard matched.count == 1 else {
                    throw CLIError.usage("--database \(selector) names \(matched.count) members of the fleet (\(matched.prefix(3).map(\.name).joined(separator: ", "))\(matched.count > 3 ? ", …" : "")); this command works on one; `current`, `upgrade`, `downgrade` and `check` take several")
                }
                configuration.database = matched[0].path
            } else if options.database == nil, requireDatabase {
                throw CLIError.usage("the configuration names a fleet (databases = \"\(glob)\"): pass --database NAME for one member, or --all (current, upgrade, downgrade, check) for every member")
            }
        }
        if let database = options.database, database.contains("/") || configuration.databases == nil { configuration.database = absolute(database) }
        if let versions = options.versions { configuration.versions = absolute(versions) }
        guard let database = configuration.database ?? (requireDatabase ? nil : absolute("sluice.db")) else {
            throw CLIError.usage("no database: pass --database PATH, or --config PATH with `database = \"…\"` (no ./config/sluice.toml or /etc/sluice/sluice.toml was found)")
        }
        self.configuration = configuration
        self.databasePath = database
        self.versionsPath = configuration.versions ?? absolute("migrations/versions")
        self.versionTable = VersionTable(name: configuration.versionTable)
    }

    /// Where the configuration is looked for without `--config` (SPEC §4), in order.
    static let defaultConfigurationPaths = ["config/sluice.toml", "/etc/sluice/sluice.toml"]

    private static func load(_ path: String) throws -> SluiceConfiguration {
        do {
            return try SluiceConfiguration.load(path: path)
        } catch {
            throw CLIError.usage("\(error)")
        }
    }

    /// The parsed revision files, failing on none.
    func loadVersions() throws -> LoadedVersions {
        do {
            return try VersionsDirectory.load(versionsPath)
        } catch {
            throw CLIError.usage("\(error)")
        }
    }

    /// The revision graph, strictly: any unparsable file or graph problem is an error
    /// (exit 1) listing all of them, as Alembic refuses to run with a broken script.
    func graph() throws -> RevisionGraph {
        let loaded = try loadVersions()
        var messages = loaded.errors.map(\.description)
        let analysis = RevisionGraph.analyze(loaded.revisions)
        messages += analysis.problems.map(\.description)
        guard messages.isEmpty else {
            throw CLIError.failed(messages.joined(separator: "\n") + "\nfix the files above (`sluice check` lists every problem)")
        }
        return analysis.graph
    }

    /// A read-only connection, or `nil` when the database file does not exist yet:
    /// reporting commands never create it. A hot journal left by a writer that died
    /// mid-transaction is rolled back first (`HotJournalRecovery`), and that is said on
    /// stderr, so nothing is ever read from a torn file.
    func openReadOnly() throws -> Connection? {
        guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
        do {
            let opened = try HotJournalRecovery.openReadOnly(databasePath)
            if let recovered = opened.recovered { Output.error("recovered: \(recovered)") }
            return opened.connection
        } catch {
            throw CLIError.failed(readFailure(error))
        }
    }

    /// The `alembic_version` rows, empty for a missing database.
    func currentHeads() throws -> [String] {
        guard let connection = try openReadOnly() else { return [] }
        do { return try versionTable.heads(in: connection) } catch { throw CLIError.failed(readFailure(error)) }
    }

    /// The message for a read that failed: a busy database says who holds it and what
    /// it is doing, never a bare "database is locked".
    func readFailure(_ error: any Error) -> String {
        guard let error = error as? SQLiteError, error.isBusy else { return "\(error)" }
        var text = "\(databasePath) is locked (\(error.message)), so it cannot be read consistently now"
        if let note = LockHolderNote.liveHolder(ofDatabase: databasePath) {
            text += ": sluice holds it (\(note))"
            if note.contains("applying=") { text += "; a revision is being applied; ask again when it finishes (`sluice status` shows it)" }
        } else if let holders = SQLiteLockHolders.describe(databasePath: databasePath) {
            text += ": \(holders)"
        }
        return text
    }

    /// What `openForWriting` hands a command: the lock, the migrator on a connection made
    /// under it, and the one waiting budget.
    struct WriteSession {
        let lock: DatabaseLock
        let migrator: Migrator
        /// `--lock-timeout`: the first write's waits (sluice's lock and SQLite's busy
        /// wait) share it; each later revision may wait as long again.
        let lockTimeout: Duration
    }

    /// Takes the database lock and opens the database for writing, creating it and the
    /// bookkeeping tables if needed. `--lock-timeout` is one budget for the wait: what the
    /// lock took is not given to SQLite's busy wait again.
    func openForWriting(lockTimeout: String) throws -> WriteSession {
        guard let timeout = DurationText.parse(lockTimeout) else {
            throw CLIError.usage("--lock-timeout \(lockTimeout): not a duration; write e.g. 30s or 2m")
        }
        let directory = PathText.parent(of: databasePath)
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw CLIError.failed("cannot create \(directory) for the database: \(SystemErrorText.describe(error))")
            }
        }
        if let server = ServingDaemon.holder(ofDatabase: databasePath) {
            Output.error("note: sluice serve (\(server)) serves \(databasePath) and sees this change; if it takes revisions away (downgrade, stamp, restore, reset) the daemon holds its queue until `systemctl reload sluice`")
        }
        let options = MigrationSession.Options(database: databasePath, versionTable: versionTable, trigger: .cli,
                                               policy: RevisionPolicy(allowAttach: configuration.validation.allowAttach), backups: backupStore)
        do {
            let session = try MigrationSession.open(options, budget: timeout)
            return WriteSession(lock: session.lock, migrator: session.migrator, lockTimeout: timeout)
        } catch let error as DatabaseLock.Held {
            throw CLIError.failed("\(error)")
        } catch let error as DatabaseLock.Failure {
            throw CLIError.failed("\(error)")
        } catch let error as SQLiteError where error.isBusy {
            throw CLIError.failed(readFailure(error) + "; waited \(lockTimeout) (--lock-timeout); nothing was changed")
        } catch {
            throw CLIError.failed("\(error)")
        }
    }

    /// Where this database's backups go: the configured directory, else `backups/`
    /// beside the database (as the daemon).
    var backupStore: BackupStore {
        configuration.backups.store(forDatabase: databasePath)
    }
}
