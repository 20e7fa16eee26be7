/// The `sqlite3` shell, as an operator checks a database by hand: what the tests assert
/// on comes from outside sluice.
public enum SQLiteShell {
    /// Runs `sql` on `database` and returns what the shell printed; with
    /// `busyTimeoutMilliseconds`, it waits that long for a lock another process holds.
    public static func run(_ database: String, _ sql: String, busyTimeoutMilliseconds: Int? = nil) throws -> String {
        let timeout = busyTimeoutMilliseconds.map { ["-cmd", ".timeout \($0)"] } ?? []
        return try SluiceBinary.runProgram("/usr/bin/sqlite3", timeout + [database, sql]).stdout
    }

    /// The schema without sluice's history table, one object per line, by name.
    public static func schema(_ database: String) throws -> String {
        try run(database, "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sluice_history' ORDER BY name")
    }
}
