import SluiceTestSupport

/// The `sqlite3` shell, as an operator checks a database by hand: what the tests assert
/// on comes from outside sluice.
enum SQLiteShell {
    /// Runs `sql` on `database` and returns what the shell printed.
    static func run(_ database: String, _ sql: String) throws -> String {
        try SluiceBinary.runProgram("/usr/bin/sqlite3", [database, sql]).stdout
    }
}
