import Foundation
import Glibc

/// Another program writing the same database, as the application does: Python's own
/// `sqlite3` module in a separate process, so the locks and journals tests meet are
/// SQLite's, made by a process that is not sluice.
public enum ApplicationWriter {
    /// The interpreter (Debian's `python3`).
    public static let python = "/usr/bin/python3"

    /// Runs a writer that starts a transaction, changes the version table to `bogus`,
    /// writes enough to spill pages into the database file, and is killed with SIGKILL
    /// before it commits: a hot rollback journal is left beside a torn file.
    /// - Returns: whether the journal is there afterwards.
    @discardableResult
    public static func dieMidTransaction(_ database: String, versionTable: String = "alembic_version") throws -> Bool {
        let script = """
            import os, signal, sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("PRAGMA cache_size = 2")
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE \(versionTable) SET version_num = 'bogus'")
            db.execute("CREATE TABLE IF NOT EXISTS app_spill (b BLOB)")
            for _ in range(200):
                db.execute("INSERT INTO app_spill VALUES (randomblob(4000))")
            os.kill(os.getpid(), signal.SIGKILL)
            """
        let result = try SluiceBinary.runProgram(python, ["-c", script, database])
        precondition(result.status != 0, "the writer was meant to die: \(result.stderr)")
        return access(database + "-journal", F_OK) == 0
    }

    /// A writer holding a write transaction open (`BEGIN IMMEDIATE` and one insert) until
    /// it is killed, as an application in the middle of its work.
    public final class Holding: @unchecked Sendable {
        // @unchecked: used from one test; Process is thread-safe for these calls.
        private let process = Process()
        /// The writer's pid, which messages about the busy database should name.
        public var pid: Int32 { process.processIdentifier }

        /// Starts the writer and returns once it holds the lock.
        public init(_ database: String) throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-holder-\(UUID().uuidString)").path
            let script = """
                import sqlite3, sys, time
                db = sqlite3.connect(sys.argv[1], isolation_level=None)
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE IF NOT EXISTS app_log (n INTEGER)")
                db.execute("INSERT INTO app_log VALUES (1)")
                open(sys.argv[2], "w").write("holding")
                time.sleep(120)
                """
            process.executableURL = URL(fileURLWithPath: ApplicationWriter.python)
            process.arguments = ["-c", script, database, scratch]
            try process.run()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while access(scratch, F_OK) != 0, clock.now < deadline, process.isRunning { usleep(10_000) }
            unlink(scratch)
        }

        /// Ends the writer (its transaction is rolled back by SQLite).
        public func stop() {
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { stop() }
    }
}
