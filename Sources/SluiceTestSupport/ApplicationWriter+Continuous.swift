import Foundation
import Glibc

extension ApplicationWriter {
    /// An application committing a small insert every 5 ms with SQLite's usual 5 s busy
    /// timeout, in its own Python process, until stopped: what a backup must not hold
    /// back long enough to make a write fail.
    public final class Continuous: @unchecked Sendable {
        // @unchecked: used from one test; Process is thread-safe for these calls.
        private let process = Process()
        private let report: String

        /// What the writer saw.
        public struct Outcome: Sendable {
            /// Commits made.
            public let commits: Int
            /// Errors, with SQLite's text (`database is locked` is the one that matters).
            public let errors: [String]
        }

        /// Starts the writer on `database` and returns once it has committed once.
        public init(_ database: String) throws {
            report = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-writer-\(UUID().uuidString)").path
            let script = """
                import json, os, sqlite3, sys, time
                db = sqlite3.connect(sys.argv[1], timeout=5.0, isolation_level=None)
                db.execute("CREATE TABLE IF NOT EXISTS app_events (id INTEGER PRIMARY KEY, note TEXT)")
                commits, errors = 0, []
                while not os.path.exists(sys.argv[2] + ".stop"):
                    try:
                        db.execute("BEGIN IMMEDIATE")
                        db.execute("INSERT INTO app_events (note) VALUES ('tick')")
                        db.execute("COMMIT")
                        commits += 1
                        if commits == 1:
                            open(sys.argv[2] + ".ready", "w").close()
                    except sqlite3.Error as error:
                        errors.append(str(error))
                        if db.in_transaction:
                            db.execute("ROLLBACK")
                    time.sleep(0.005)
                json.dump({"commits": commits, "errors": errors}, open(sys.argv[2], "w"))
                """
            process.executableURL = URL(fileURLWithPath: ApplicationWriter.python)
            process.arguments = ["-c", script, database, report]
            try process.run()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while access(report + ".ready", F_OK) != 0, clock.now < deadline, process.isRunning { usleep(10_000) }
            unlink(report + ".ready")
        }

        /// Stops the writer (it finishes its transaction first) and returns what it saw.
        /// The writer looks for a stop file between commits: a signal could arrive blocked,
        /// as the test process's mask is inherited.
        public func stop() throws -> Outcome {
            _ = FileManager.default.createFile(atPath: report + ".stop", contents: nil)
            process.waitUntilExit()
            defer { unlink(report); unlink(report + ".stop") }
            let data = try Data(contentsOf: URL(fileURLWithPath: report))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            return Outcome(commits: object["commits"] as? Int ?? 0, errors: object["errors"] as? [String] ?? [])
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }
}
