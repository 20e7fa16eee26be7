import SluiceCore

extension SchemaModel {
    /// Reads the schema of `connection`'s main database for the diff: every table, index,
    /// view and trigger with its `CREATE` statement, in creation order. Left out: SQLite's
    /// own objects (`sqlite_%`, and the automatic indexes of constraints, which have no
    /// statement), the shadow tables of virtual tables (their module makes them), and the
    /// tables in `excluding` (sluice's version and history tables) with everything on them.
    public static func capture(_ connection: Connection, excluding: Set<String>) throws(SQLiteError) -> SchemaModel {
        let excludedKeys = Set(excluding.map { $0.lowercased() })
        let shadow = Set(try connection.rows("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'").compactMap { $0[0].text?.lowercased() })
        var objects: [Object] = []
        for row in try connection.rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid") {
            guard let type = row[0].text, let kind = Object.Kind(rawValue: type),
                  let name = row[1].text, let table = row[2].text, let sql = row[3].text else { continue }
            if excludedKeys.contains(name.lowercased()) || excludedKeys.contains(table.lowercased()) { continue }
            if shadow.contains(name.lowercased()) || shadow.contains(table.lowercased()) { continue }
            objects.append(Object(kind: kind, name: name, table: table, sql: sql))
        }
        return SchemaModel(objects: objects)
    }
}
