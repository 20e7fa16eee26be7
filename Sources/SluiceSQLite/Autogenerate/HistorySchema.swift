import SluiceCore

/// The schema a history produces at some heads, built as the rehearsal builds it: the
/// revisions applied in order to a private scratch database. What `create --autogenerate`
/// and `diff` compare the desired schema with; the real database is never read for it.
public struct HistorySchema {
    /// The scratch database, at `heads`, version rows included.
    public let connection: Connection
    /// The version rows it stands at.
    public let heads: [String]
    let versionTable: VersionTable

    /// Applies the history up to `targets` (and all they need).
    /// - Throws: `HistorySchemaError` naming the revision file and line that does not apply.
    public init(graph: RevisionGraph, targets: [String], versionTable: VersionTable) throws(HistorySchemaError) {
        self.versionTable = versionTable
        do {
            connection = try Connection.privateScratch()
            let migrator = Migrator(connection: connection, versionTable: versionTable, trigger: .cli)
            try migrator.prepareTables()
            let plan = try graph.upgradePlan(current: [], to: targets)
            do { try migrator.apply(plan) } catch {
                throw HistorySchemaError(reason: "the history does not apply on an empty database: \(error.failure) (`sluice check` lists every problem)")
            }
            heads = try migrator.currentHeads()
        } catch let error as HistorySchemaError {
            throw error
        } catch {
            throw HistorySchemaError(reason: "cannot build the schema the revisions produce: \(error)")
        }
    }

    /// The tables sluice keeps for itself, left out of every comparison.
    public var ownTables: Set<String> { [versionTable.name, HistoryTable.name] }

    /// The schema, for the diff.
    public func model() throws(SQLiteError) -> SchemaModel {
        try SchemaModel.capture(connection, excluding: ownTables)
    }
}

/// A history whose schema cannot be built.
public struct HistorySchemaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the revision file and line.
    public let reason: String
    /// The reason.
    public var description: String { reason }
}
