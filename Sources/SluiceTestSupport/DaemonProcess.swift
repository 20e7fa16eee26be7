import Foundation
import Glibc

/// `sluice serve` started as a real process on a temporary project, with helpers to wait
/// for what it publishes in its state file.
public final class DaemonProcess: @unchecked Sendable {
    // @unchecked: used from one test at a time; Process itself is thread-safe for the
    // calls made here.
    public let process = Process()
    /// Where stderr (the log) goes.
    public let logPath: String
    /// The state file it writes.
    public let statePath: String

    /// Starts `sluice serve --config config` in `directory`.
    public init(config: String, statePath: String, directory: String, environment: [String: String] = [:]) throws {
        self.statePath = statePath
        logPath = (directory as NSString).appendingPathComponent("serve-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: SluiceBinary.path)
        process.arguments = ["serve", "--config", config]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = log
        process.standardOutput = log
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    /// The pid.
    public var pid: Int32 { process.processIdentifier }

    /// The log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The state file as JSON, or `nil` before it is written.
    public func state() -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: statePath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object
    }

    /// The revision ids in the queue, in order.
    public func queue() -> [String] {
        ((state()?["view"] as? [String: Any])?["queue"] as? [[String: Any]] ?? []).compactMap { $0["revision"] as? String }
    }

    /// Entries of one list of the view (`rejected`, `waiting`, `held`).
    public func entries(_ list: String) -> [[String: Any]] {
        (state()?["view"] as? [String: Any])?[list] as? [[String: Any]] ?? []
    }

    /// Waits until `condition` holds, checking every 20 ms, for at most `timeout`.
    /// - Returns: whether it held in time.
    @discardableResult
    public func wait(timeout: Duration = .seconds(30), until condition: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// Sends a signal.
    public func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the process to exit and returns its status.
    public func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}
