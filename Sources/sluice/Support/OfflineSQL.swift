import SluiceCore
import SluiceSQLite

/// `--sql`: the script a plan would run, for the `sqlite3` shell or a DBA to review,
/// with the same bookkeeping `upgrade` writes, one transaction per revision.
enum OfflineSQL {
    /// Splits Alembic's `FROM:TO` range; without a colon there is no explicit start.
    static func splitRange(_ text: String) -> (from: String?, to: String) {
        guard let colon = text.firstIndex(of: ":") else { return (nil, text) }
        let from = String(text[..<colon])
        return (from.isEmpty ? "base" : from, String(text[text.index(after: colon)...]))
    }

    /// Refuses a plan that passes through a placeholder (`sluice import alembic
    /// --placeholders`): its script would silently lack the SQL still to be written.
    /// - Throws: `CLIError.failed` naming the file and the marker's line.
    static func refusePlaceholders(in plan: MigrationPlan) throws {
        let placeholders = plan.steps.map(\.revision).filter { $0.placeholderLine != nil }
        guard !placeholders.isEmpty else { return }
        throw CLIError.failed(placeholders.map { "\($0.path):\($0.placeholderLine!): \(PlaceholderMarker.reason)" }.joined(separator: "\n")
            + "\nrefused: the script would run without the SQL the placeholder stands for")
    }

    /// Renders the plan.
    static func render(_ plan: MigrationPlan, versionTable: VersionTable, createTables: Bool) -> String {
        var out = ""
        if createTables {
            out += versionTable.createSQL.replacing("CREATE TABLE ", with: "CREATE TABLE IF NOT EXISTS ") + ";\n\n"
            out += HistoryTable.createSQL.replacing("CREATE TABLE ", with: "CREATE TABLE IF NOT EXISTS ") + ";\n\n"
        }
        let table = "\"\(versionTable.name)\""
        for step in plan.steps {
            let revision = step.revision
            let parents = revision.parents.joined(separator: ", ")
            let arrow = step.direction == .upgrade ? "\(parents) -> \(revision.id)" : "\(revision.id) -> \(parents)"
            out += "-- Running \(step.direction.rawValue) \(arrow), \(revision.message)\n"
            let transactional = revision.transactionMode == .perMigration
            if transactional { out += "BEGIN IMMEDIATE;\n\n" }
            let statements = step.section.map(SQLSplitter.statements(in:)) ?? []
            for statement in statements {
                out += statement.sql.hasSuffix(";") ? statement.sql + "\n\n" : statement.sql + ";\n\n"
            }
            if !transactional { out += "BEGIN IMMEDIATE;\n\n" }
            let removed = step.headsBefore.filter { !step.headsAfter.contains($0) }
            let added = step.headsAfter.filter { !step.headsBefore.contains($0) }
            if removed.count == 1, added.count == 1 {
                out += "UPDATE \(table) SET version_num = \(quote(added[0])) WHERE version_num = \(quote(removed[0]));\n"
            } else {
                for id in removed { out += "DELETE FROM \(table) WHERE version_num = \(quote(id));\n" }
                for id in added { out += "INSERT INTO \(table) (version_num) VALUES (\(quote(id)));\n" }
            }
            out += """
                INSERT INTO sluice_history (revision, direction, checksum, file, started_at, finished_at, duration_ms, outcome, \
                statements_run, statements_total, triggered_by, host, pid, sluice_version) VALUES (\(quote(revision.id)), \
                \(quote(step.direction.rawValue)), \(quote(revision.checksum)), \(quote(revision.path)), \
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 0, 'applied', \(statements.count), \
                \(statements.count), 'cli', \(quote(HistoryTable.hostName)), 0, \(quote(HistoryTable.sluiceVersion)));

                """
            out += "COMMIT;\n\n"
        }
        return out
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }
}
