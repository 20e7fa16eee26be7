import FoundationEssentials
import Glibc
import SluiceOS

/// The lock that lets only one sluice process change a database at a time: an exclusive
/// `flock` on `<database>.sluice-lock`, which names its holder. The kernel drops it when
/// the holder dies, so it is never left stale.
public final class DatabaseLock {
    /// The lock could not be taken in time.
    public struct Held: Error, Sendable, CustomStringConvertible {
        /// The sidecar file.
        public let path: String
        /// What the holder wrote into it (host and pid), if readable.
        public let holder: String
        /// How long this process waited.
        public let waited: Duration

        public var description: String {
            "\(path) is held by \(holder.isEmpty ? "another process" : holder) (waited \(waited)); another sluice is changing this database. Wait for it, or raise --lock-timeout"
        }
    }

    /// The lock file could not be opened or locked for another reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let errno: Int32
        public var description: String { "cannot lock \(path): \(String(cString: strerror(errno)))" }
    }

    /// The sidecar path for a database.
    public static func path(forDatabase database: String) -> String { database + ".sluice-lock" }

    private let descriptor: Int32
    /// The sidecar file.
    public let path: String

    /// Takes the lock for `database`, waiting up to `timeout`.
    /// - Throws: `Held` naming the holder when the wait runs out, `Failure` otherwise.
    /// - Parameter create: create the sidecar when it does not exist (writers); without
    ///   it a missing sidecar throws `Failure` with `ENOENT` (reporting commands, which
    ///   never create a file).
    public init(database: String, timeout: Duration, create: Bool = true, clock: ContinuousClock = ContinuousClock()) throws {
        let path = Self.path(forDatabase: database)
        let fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o640)
        guard fd >= 0 else { throw Failure(path: path, errno: errno) }
        let start = clock.now
        var pause = Duration.milliseconds(5)
        while true {
            guard case .failure(let failure) = Syscalls.fileLock(fd, .exclusiveNow) else { break }
            let error = failure.rawValue
            guard error == EWOULDBLOCK else {
                close(fd)
                throw Failure(path: path, errno: error)
            }
            let waited = clock.now - start
            if waited >= timeout {
                let holder = LockHolderNote.read(from: fd)
                close(fd)
                throw Held(path: path, holder: holder, waited: waited)
            }
            // flock has no timed wait; a short, growing pause keeps this cheap for the
            // few seconds a command waits.
            let remaining = timeout - waited
            let sleepFor = min(pause, remaining)
            var request = timespec(tv_sec: Int(sleepFor.components.seconds), tv_nsec: Int(sleepFor.components.attoseconds / 1_000_000_000))
            nanosleep(&request, nil)
            pause = min(pause * 2, .milliseconds(200))
        }
        self.descriptor = fd
        self.path = path
        LockHolderNote.write(to: fd)
    }

    /// Rewrites the holder note to say which revision this process is applying and since
    /// when (`nil`: nothing), so that reporting commands that find the database busy can
    /// say so instead of a bare "database is locked".
    public func announce(applying revision: String?) {
        LockHolderNote.write(to: descriptor, applying: revision)
    }

    deinit {
        LockHolderNote.clear(descriptor)
        Syscalls.fileLock(descriptor, .unlock)
        close(descriptor)
    }
}
