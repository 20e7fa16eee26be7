import Foundation

/// Runs the built `sluice` executable as a separate process, as users and systemd do.
public enum SluiceBinary {
    /// The path of the built binary: beside the test bundle in the build folder.
    public static var path: String {
        let candidates = [
            ProcessInfo.processInfo.environment["SLUICE_BINARY"],
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path(percentEncoded: false),
            Bundle.main.bundleURL.appendingPathComponent("sluice").path(percentEncoded: false),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sluice").path(percentEncoded: false),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    /// What a finished run printed and how it exited.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `sluice arguments…` in `directory` and waits for it.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try runProgram(path, arguments, in: directory, environment: environment)
    }

    /// Runs any program and waits for it, capturing both streams through files (no pipe
    /// can fill up and block it).
    public static func runProgram(_ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let scratch = TemporaryDirectory(prefix: "sluice-run")
        // The at-head cache goes to this run's own scratch directory (removed with it),
        // not the user's; a test that exercises the cache passes its own.
        let isolated = ["XDG_CACHE_HOME": scratch.url("cache")]
        process.environment = ProcessInfo.processInfo.environment.merging(isolated) { $1 }.merging(environment) { $1 }
        let out = scratch.write("stdout", "")
        let err = scratch.write("stderr", "")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let input {
            let inputPath = scratch.write("stdin", input)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        }
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

extension SluiceBinary {
    /// Starts `sluice arguments…` in `directory` without waiting for it (its output is
    /// discarded), for tests that act while it runs: kill it, or meet its locks.
    public static func start(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Whether the lock note beside `database` (`<database>.sluice-lock`) says it is
    /// applying `revision`.
    public static func lockNote(of database: String, says revision: String) -> Bool {
        ((try? String(contentsOfFile: database + ".sluice-lock", encoding: .utf8)) ?? "").contains("applying=\(revision)")
    }
}
