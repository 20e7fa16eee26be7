import CSQLite
import FoundationEssentials
import SluiceCore

/// A private in-memory copy of a database on which revisions are tried before they
/// touch the real one (SPEC §5.3): the upgrade, then its downgrade with the schema
/// compared, then the upgrade again. Nothing done here reaches the real database.
public final class Rehearsal {
    /// The in-memory copy.
    public let connection: Connection
    let versionTable: VersionTable
    let migrator: Migrator
    private var events: [(line: Int, event: AuthorizerEvent)] = []
    private let schemaCache = SchemaSnapshot.Cache()

    /// A rehearsal on an empty database.
    public convenience init(versionTable: VersionTable) throws(SQLiteError) {
        try self.init(connection: Connection.inMemory(), versionTable: versionTable)
    }

    /// A rehearsal on a copy of `source`: the whole database when it is at most
    /// `maxBytes`, else its schema and version rows alone.
    public convenience init(copying source: Connection, maxBytes: Int64, versionTable: VersionTable) throws(SQLiteError) {
        let memory = try Connection.inMemory()
        let pageCount = try source.scalar("PRAGMA page_count")?.integer ?? 0
        let pageSize = try source.scalar("PRAGMA page_size")?.integer ?? 4096
        if pageCount * pageSize <= maxBytes {
            try source.copy(into: memory)
        } else {
            try Self.copySchema(from: source, into: memory, versionTable: versionTable)
        }
        try self.init(connection: memory, versionTable: versionTable)
    }

    /// What revisions may not do (the same policy as on the real database).
    public var policy: RevisionPolicy {
        get { migrator.policy }
        set { migrator.policy = newValue }
    }

    init(connection: Connection, versionTable: VersionTable) throws(SQLiteError) {
        self.connection = connection
        self.versionTable = versionTable
        self.migrator = Migrator(connection: connection, versionTable: versionTable, trigger: .cli)
        try migrator.prepareTables()
        migrator.observeAuthorization = { [unowned self] line, event in
            if line > 0 { self.events.append((line, event)) }
        }
    }

    /// The current version rows of the copy.
    public func currentHeads() throws(SQLiteError) -> [String] { try migrator.currentHeads() }

    /// Rehearses one upgrade step.
    /// - Parameter roundTrip: also run the downgrade, compare the schema, and upgrade
    ///   again (skipped for irreversible revisions).
    /// - Returns: how long the first upgrade took on the copy.
    /// - Throws: `RehearsalFailure` naming the file and line.
    @discardableResult
    public func rehearse(_ step: MigrationStep, roundTrip: Bool = true) throws(RehearsalFailure) -> Duration {
        let revision = step.revision
        let excluded: Set<String> = [versionTable.name, HistoryTable.name]
        func snapshot() throws(RehearsalFailure) -> SchemaSnapshot {
            do { return try SchemaSnapshot.capture(connection, excluding: excluded, cache: schemaCache) } catch {
                throw RehearsalFailure(revision: revision, kind: .statementFailed, line: revision.upgrade.markerLine, reason: "cannot read the schema: \(error)")
            }
        }
        func run(_ step: MigrationStep) throws(RehearsalFailure) {
            do { try migrator.apply(step) } catch {
                throw RehearsalFailure(revision: revision, kind: .statementFailed, line: error.line,
                                       reason: "\(step.direction.rawValue) fails in rehearsal: \(error.reason)" + (error.statement.map { " (in: \($0))" } ?? ""))
            }
        }
        let before = try snapshot()
        events.removeAll(keepingCapacity: true)
        let clock = ContinuousClock()
        let start = clock.now
        try run(step)
        let duration = clock.now - start
        let upgradeEvents = events
        let after = try snapshot()

        if revision.transactionMode == .perMigration,
           let pragma = upgradeEvents.first(where: { $0.event.action == SQLITE_PRAGMA && $0.event.first?.lowercased() == "foreign_keys" && $0.event.second != nil }) {
            throw RehearsalFailure(revision: revision, kind: .foreignKeysPragma, line: pragma.line,
                                   reason: "PRAGMA foreign_keys does nothing inside a transaction; sluice already turns enforcement off while a revision runs. Remove it, or use `Transaction: none`")
        }
        if !revision.destructiveAllowed {
            let losses = DestructiveChange.losses(before: before, after: after, events: upgradeEvents)
            if let first = losses.first {
                throw RehearsalFailure(revision: revision, kind: .destructive, line: first.line ?? revision.upgrade.markerLine,
                                       reason: "the upgrade drops data: \(losses.map(\.what).joined(separator: "; ")). If that is intended, add `-- Destructive: allowed` to the header")
            }
        }
        guard roundTrip, let downgrade = revision.downgrade else { return duration }
        try run(MigrationStep(revision: revision, direction: .downgrade, headsBefore: step.headsAfter, headsAfter: step.headsBefore))
        let restored = try snapshot()
        let (missing, extra) = restored.differences(from: before)
        if !missing.isEmpty || !extra.isEmpty {
            var details: [String] = []
            if !missing.isEmpty { details.append("missing after the downgrade: " + missing.joined(separator: "; ")) }
            if !extra.isEmpty { details.append("left over after the downgrade: " + extra.joined(separator: "; ")) }
            throw RehearsalFailure(revision: revision, kind: .downgradeMismatch, line: downgrade.markerLine,
                                   reason: "the downgrade does not restore the schema: " + details.joined(separator: " | "))
        }
        try run(step)
        return duration
    }

    /// Copies only the schema and the version rows: for databases above the rehearsal
    /// size limit, where copying the data would cost too much.
    static func copySchema(from source: Connection, into memory: Connection, versionTable: VersionTable) throws(SQLiteError) {
        let objects = try source.rows("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid")
        try memory.execute("BEGIN")
        for object in objects {
            if let sql = object[2].text { try memory.execute(sql) }
        }
        if try source.tableExists(versionTable.name) {
            for head in try versionTable.heads(in: source) {
                try memory.run("INSERT INTO \(versionTable.quoted) (version_num) VALUES (?)", [.text(head)])
            }
        }
        try memory.execute("COMMIT")
    }
}
