import FoundationEssentials
import SluiceCore
import Glibc
import SluiceOS

/// The daemon's view on disk, written atomically (temporary file, `fsync`, `rename`,
/// `fsync` of the directory) so another process reading it at any moment sees either
/// the old or the new document, never half of one.
public struct StateFile: Sendable {
    /// What the file holds: the queue view plus who wrote it and when.
    public struct Document: Codable, Sendable, Equatable {
        /// The daemon's pid, so `status` can tell a live daemon from a stale file.
        public var pid: Int32
        /// When it was written (UTC, ISO 8601).
        public var updatedAt: String
        /// The one-line summary systemd shows as `STATUS=`.
        public var summary: String
        /// The queue and everything kept out of it.
        public var view: QueueView
        /// The next window opening, in its local time.
        public var nextWindow: String?
        /// Why each queued revision is not being applied now (outside windows, does not
        /// fit, held back by a failed ancestor, …).
        public var schedule: [String: String]
        /// The revision being applied, if any.
        public var applying: String?
        /// Why the last reload was refused, if it was.
        public var configurationProblem: String?
        /// Why the last backup failed (disk full, permissions), until one succeeds:
        /// nothing is applied meanwhile.
        public var backupProblem: String?
        /// The configuration the daemon runs with (its last good one).
        public var configuration: LoadedConfiguration?
        /// How far long work has come (`applying r7: statement 3/10, 12 s`,
        /// `backing up …: 45% of 1.0 GiB, 4 s`), while it runs.
        public var progress: String?
        /// The control socket `sluice pause`, `resume`, `apply-now` and `retry` connect to.
        public var controlSocket: String?
        /// The operator's pause, while it lasts.
        public var paused: PauseNote?
        /// The end of an `apply-now` window, while one is open (ISO 8601 UTC).
        public var applyNowUntil: String?

        enum CodingKeys: String, CodingKey {
            case pid, summary, view, schedule, applying, configuration, progress, paused
            case controlSocket = "control_socket"
            case applyNowUntil = "apply_now_until"
            case updatedAt = "updated_at"
            case nextWindow = "next_window"
            case configurationProblem = "configuration_problem"
            case backupProblem = "backup_problem"
        }

        public init(pid: Int32, updatedAt: String, summary: String, view: QueueView, nextWindow: String? = nil,
                    schedule: [String: String] = [:], applying: String? = nil, configurationProblem: String? = nil,
                    backupProblem: String? = nil, configuration: LoadedConfiguration? = nil) {
            self.pid = pid
            self.updatedAt = updatedAt
            self.summary = summary
            self.view = view
            self.nextWindow = nextWindow
            self.schedule = schedule
            self.applying = applying
            self.configurationProblem = configurationProblem
            self.backupProblem = backupProblem
            self.configuration = configuration
        }
    }

    /// A write or read that failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "state file \(path): \(reason)" }
    }

    /// The file's path.
    public let path: String

    /// Creates an accessor for `path`.
    public init(path: String) { self.path = path }

    /// Replaces the file with `document`.
    public func write(_ document: Document) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(document) } catch { throw Failure(path: path, reason: "\(error)") }
        let directory = PathText.parent(of: path)
        try? FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        do { try AtomicFile.write(Array(data), to: path) } catch { throw Failure(path: path, reason: error.reason) }
    }

    /// Reads the file; `nil` when it does not exist.
    public func read() throws(Failure) -> Document? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(Document.self, from: data) } catch {
            throw Failure(path: path, reason: "unreadable: \(error)")
        }
    }

    /// Whether the daemon that wrote `document` is still running.
    public static func isAlive(_ document: Document) -> Bool {
        document.pid > 0 && (kill(document.pid, 0) == 0 || errno == EPERM)
    }
}
