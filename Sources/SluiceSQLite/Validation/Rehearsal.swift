import CSQLite
import FoundationEssentials
import SluiceCore

/// A private scratch copy of a database (`Connection.privateScratch`) on which revisions are tried before they
/// touch the real one (SPEC §5.3): the upgrade, then its downgrade with the schema
/// compared, then the upgrade again. Nothing done here reaches the real database.
public final class Rehearsal {
    /// The scratch copy.
    public let connection: Connection
    let versionTable: VersionTable
    let migrator: Migrator
    private var events: [(line: Int, event: AuthorizerEvent)] = []
    private let schemaCache = SchemaSnapshot.Cache()
    /// The schema right after the last rehearsed upgrade, for `keepGoing(after:)`.
    private var afterUpgrade: (revision: String, schema: SchemaSnapshot)?
    /// The last revision whose upgrade the policy refused, for `keepGoing(after:)`.
    private var refusedRevision: String?

    /// A rehearsal on an empty database.
    public convenience init(versionTable: VersionTable) throws(SQLiteError) {
        try self.init(connection: Connection.privateScratch(), versionTable: versionTable)
    }

    /// A rehearsal on a copy of `source`: the whole database when it is at most
    /// `maxBytes` and can be copied within `limits` (`LiveCopy`, as backups are), else
    /// its schema and version rows alone.
    public convenience init(copying source: Connection, maxBytes: Int64, versionTable: VersionTable,
                            limits: CopyLimits = CopyLimits()) throws(SQLiteError) {
        let scratch = try Connection.privateScratch()
        let pageCount = try source.scalar("PRAGMA page_count")?.integer ?? 0
        let pageSize = try source.scalar("PRAGMA page_size")?.integer ?? 4096
        let bytes = pageCount * pageSize
        var copied: Copy = .schemaOnly(bytes: bytes)
        if bytes <= maxBytes {
            do {
                _ = try LiveCopy.toScratch(source, scratch: scratch, limits: limits)
                copied = .wholeDatabase(bytes: bytes)
            } catch let refusal as CopyRefusal {
                // A copy that would hold the application back too long: the schema alone
                // (SQLite rolled back the pages the refused copy had written).
                copied = .schemaOnlyToSpareWrites(bytes: bytes, reason: "\(refusal)")
            } catch let error as SQLiteError {
                throw error
            } catch {
                throw SQLiteError(code: SQLITE_ERROR, message: "copying \(source.path) for the rehearsal: \(error)")
            }
        }
        if case .wholeDatabase = copied {} else {
            try Self.copySchema(from: source, into: scratch, versionTable: versionTable)
        }
        try self.init(connection: scratch, versionTable: versionTable)
        copy = copied
    }

    /// What the copy holds, so reports can say whether constraints met the real rows.
    public enum Copy: Sendable, Equatable {
        /// An empty database (the real one does not exist yet, or a history rehearsed
        /// from nothing).
        case empty
        /// The whole database, rows included, of that size.
        case wholeDatabase(bytes: Int64)
        /// The schema and version rows alone: the database (of that size) is above
        /// `rehearsal_max_bytes`.
        case schemaOnly(bytes: Int64)
        /// The schema and version rows alone: copying the rows would have held the
        /// application's writes back longer than `backups.max_stall` (the reason says how
        /// long).
        case schemaOnlyToSpareWrites(bytes: Int64, reason: String)
    }

    /// What this rehearsal's copy holds.
    public private(set) var copy: Copy = .empty

    /// Told `(index, total)` before each statement the rehearsal runs (upgrades and
    /// downgrades alike), for progress.
    public var willRunStatement: ((Int, Int) -> Void)? {
        get { migrator.willRunStatement }
        set { migrator.willRunStatement = newValue }
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
        if let placeholder = RehearsalFailure.placeholder(revision) { throw placeholder }
        let excluded: Set<String> = [versionTable.name, HistoryTable.name]
        func snapshot() throws(RehearsalFailure) -> SchemaSnapshot {
            do { return try SchemaSnapshot.capture(connection, excluding: excluded, cache: schemaCache) } catch {
                throw RehearsalFailure(revision: revision, kind: .statementFailed, line: revision.upgrade.markerLine, reason: "cannot read the schema: \(error)")
            }
        }
        func run(_ step: MigrationStep) throws(RehearsalFailure) {
            try self.run(step, for: revision)
        }
        let before = try snapshot()
        events.removeAll(keepingCapacity: true)
        let clock = ContinuousClock()
        let start = clock.now
        try run(step)
        let duration = clock.now - start
        let upgradeEvents = events
        let after = try snapshot()
        afterUpgrade = (revision.id, after)

        if !revision.destructiveAllowed {
            let renames = SQLSplitter.statements(in: revision.upgrade).compactMap { AlterTableRename(sql: $0.sql) }
            let losses = DestructiveChange.losses(before: before, after: after, events: upgradeEvents, renames: renames)
            if let first = losses.first {
                throw RehearsalFailure(revision: revision, kind: .destructive, line: first.line ?? revision.upgrade.markerLine,
                                       reason: "the upgrade drops data: \(losses.map(\.what).joined(separator: "; ")). If that is intended, add `-- Destructive: allowed` to the header",
                                       losses: losses.map(\.what))
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

    /// After `rehearse(step)` failed: puts the revision's upgrade back on the copy when it
    /// can run (a destructive change or a downgrade mismatch is a problem to report, but
    /// the upgrade itself works), so the revisions after it are still rehearsed and a
    /// report lists their problems too, not only the first.
    /// - Returns: whether the copy now holds the revision; `false` when its upgrade
    ///   itself fails, and what needs it cannot be rehearsed.
    public func keepGoing(after step: MigrationStep) -> Bool {
        guard let heads = try? currentHeads() else { return false }
        if heads.contains(step.revision.id) { return true }
        guard heads.sorted() == step.headsBefore.sorted() else { return false }
        if (try? migrator.apply(step)) != nil { return true }
        // A downgrade that left part of the upgrade behind makes the upgrade fail as a
        // whole; its statements one by one, under the same policy, may still rebuild the
        // schema the upgrade gave, which is checked against the snapshot taken then.
        // Without a snapshot to compare with, only a revision stopped by the policy goes
        // on: its other statements run, the refused one does not (it is reported).
        let expected = afterUpgrade?.revision == step.revision.id ? afterUpgrade : nil
        guard expected != nil || refusedRevision == step.revision.id else { return false }
        let excluded: Set<String> = [versionTable.name, HistoryTable.name]
        let transactional = step.revision.transactionMode == .perMigration
        let policy = self.policy
        guard (try? connection.execute("PRAGMA foreign_keys = OFF; BEGIN")) != nil else { return false }
        connection.setAuthorizer { policy.refusal(of: $0, transactional: transactional) == nil ? .allow : .deny }
        for statement in SQLSplitter.statements(in: step.revision.upgrade) {
            try? connection.execute(statement.sql)
            guard connection.isInTransaction else { break }
        }
        connection.setAuthorizer(nil)
        let rebuilt = try? SchemaSnapshot.capture(connection, excluding: excluded)
        let matches = rebuilt.map { rebuilt in expected.map { rebuilt.differences(from: $0.schema) == ([], []) } ?? true } ?? false
        if matches,
           (try? versionTable.transition(from: step.headsBefore, to: step.headsAfter, in: connection)) != nil,
           (try? connection.execute("COMMIT")) != nil {
            try? connection.execute("PRAGMA foreign_keys = ON")
            return true
        }
        try? connection.execute("ROLLBACK")
        try? connection.execute("PRAGMA foreign_keys = ON")
        return false
    }

    /// Runs one step on the copy, turning its failure into a rehearsal failure of
    /// `revision`; a statement the policy refused keeps the policy's kind and words.
    private func run(_ step: MigrationStep, for revision: Revision) throws(RehearsalFailure) {
        do { try migrator.apply(step) } catch {
            if let refusal = error.refusal {
                refusedRevision = revision.id
                throw RehearsalFailure(revision: revision, kind: refusal.kind, line: error.line,
                                       reason: refusal.reason + (error.statement.map { " (in: \($0))" } ?? ""))
            }
            throw RehearsalFailure(revision: revision, kind: .statementFailed, line: error.line,
                                   reason: "\(step.direction.rawValue) fails in rehearsal: \(error.reason)" + (error.statement.map { " (in: \($0))" } ?? ""))
        }
    }

    /// Rehearses one downgrade step of an applied revision: the downgrade runs on the
    /// copy (on its data, when the copy has them), then the upgrade once more, which must
    /// run and give back the schema the copy had, and the downgrade again. A downgrade
    /// that leaves something of the upgrade behind makes the upgrade fail or differ; one
    /// that removes more than the upgrade added makes the schema differ.
    /// - Throws: `RehearsalFailure` naming the file and line.
    public func rehearseDowngrade(_ step: MigrationStep) throws(RehearsalFailure) {
        let revision = step.revision
        if let placeholder = RehearsalFailure.placeholder(revision) { throw placeholder }
        let excluded: Set<String> = [versionTable.name, HistoryTable.name]
        let line = revision.downgrade?.markerLine ?? revision.upgrade.markerLine
        func snapshot() throws(RehearsalFailure) -> SchemaSnapshot {
            do { return try SchemaSnapshot.capture(connection, excluding: excluded, cache: schemaCache) } catch {
                throw RehearsalFailure(revision: revision, kind: .statementFailed, line: line, reason: "cannot read the schema: \(error)")
            }
        }
        let applied = try snapshot()
        try run(step, for: revision)
        let upgradeAgain = MigrationStep(revision: revision, direction: .upgrade, headsBefore: step.headsAfter, headsAfter: step.headsBefore)
        do { try migrator.apply(upgradeAgain) } catch {
            throw RehearsalFailure(revision: revision, kind: .downgradeMismatch, line: line,
                                   reason: "the downgrade does not undo the upgrade: after it, the upgrade fails in rehearsal at line \(error.line): \(error.reason)")
        }
        let (missing, extra) = try snapshot().differences(from: applied)
        if !missing.isEmpty || !extra.isEmpty {
            var details: [String] = []
            if !missing.isEmpty { details.append("lost by the downgrade and not restored by the upgrade: " + missing.joined(separator: "; ")) }
            if !extra.isEmpty { details.append("left over: " + extra.joined(separator: "; ")) }
            throw RehearsalFailure(revision: revision, kind: .downgradeMismatch, line: line,
                                   reason: "the downgrade does not restore the schema: " + details.joined(separator: " | "))
        }
        try run(step, for: revision)
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
