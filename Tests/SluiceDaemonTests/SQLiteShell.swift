import SluiceTestSupport

/// The `sqlite3` shell, as an operator checks a database by hand: what the tests assert
/// on comes from outside sluice.
enum SQLiteShell {
    /// Runs `sql` on `database` and returns what the shell printed.
    static func run(_ database: String, _ sql: String) throws -> String {
        try SluiceBinary.runProgram("/usr/bin/sqlite3", [database, sql]).stdout
    }

    /// The schema without sluice's history table, one object per line, by name.
    static func schema(_ database: String) throws -> String {
        try run(database, "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sluice_history' ORDER BY name")
    }
}
