import FoundationEssentials
import SluiceCore
import Glibc
import SluiceOS
import SluiceSQLite
import SluiceWatch
import Synchronization

/// The lock that makes one `sluice serve` the one serving a database: an exclusive
/// `flock` on `<database>.sluice-serve-lock`, held for the daemon's whole life and naming
/// its holder (host and pid). A second daemon on the same database finds it held and
/// waits in standby; the kernel drops the lock when the holder exits or dies, so it is
/// never left stale and the standby takes over at once.
///
/// It is separate from the per-write `DatabaseLock`, which CLI commands take for each
/// change: a daemon that held that one for its life would lock the operators out.
final class ServeLock: Sendable {
    /// The sidecar file could not be opened or locked.
    struct Failure: Error, Sendable, CustomStringConvertible {
        /// The sidecar file.
        let path: String
        /// What the kernel said.
        let error: Errno
        var description: String { "cannot lock \(path): \(error)" }
    }

    /// The sidecar path for a database.
    static func path(forDatabase database: String) -> String { database + ".sluice-serve-lock" }

    /// The sidecar file.
    let path: String
    /// Used from the daemon's task and from the one waiting thread, which the kernel allows.
    private let descriptor: Int32
    /// Whether this process holds the lock, and whether it gave it up for good (`release()`).
    private let state = Mutex<(held: Bool, abandoned: Bool)>((false, false))

    /// Opens (creating, with the database's directory if needed) the sidecar of
    /// `database`; the lock is not taken yet.
    /// - Throws: `Failure` when the file cannot be opened.
    init(database: String) throws(Failure) {
        path = Self.path(forDatabase: database)
        let directory = PathText.parent(of: database)
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        switch Self.openFile(path) {
        case .success(let fd): descriptor = fd
        case .failure(let error): throw Failure(path: path, error: error)
        }
    }

    deinit { close(descriptor) }

    /// Takes the lock if nobody holds it.
    /// - Returns: `true` when this process now serves the database, `false` when another
    ///   process holds the lock.
    /// - Throws: `Failure` for any error but "held".
    func tryAcquire() throws(Failure) -> Bool {
        switch Syscalls.fileLock(descriptor, .exclusiveNow) {
        case .success:
            state.withLock { noteHolder(&$0) }
            return true
        case .failure(let error) where error.rawValue == EWOULDBLOCK:
            return false
        case .failure(let error):
            throw Failure(path: path, error: error)
        }
    }

    /// Who holds the lock, as the holder wrote it (`host=h pid=123`); "another process"
    /// while the holder has not written yet.
    func holder() -> String {
        let text = LockHolderNote.read(from: descriptor)
        return text.isEmpty ? "another process" : text
    }

    /// Starts a thread that blocks in `flock(LOCK_EX)` until the holder lets go (no
    /// polling: the standby stays idle), then calls `acquired` with the outcome. After
    /// `release()` a late success is given back at once and not reported.
    func waitInBackground(_ acquired: @escaping @Sendable (Result<Void, Failure>) -> Void) {
        DetachedThread.start(name: "sluice-serve-lock") { [self] in
            let result = Syscalls.fileLock(descriptor, .exclusive)
            if case .failure(let error) = result {
                acquired(.failure(Failure(path: path, error: error)))
                return
            }
            let keep = state.withLock { state in
                if state.abandoned {
                    Syscalls.fileLock(descriptor, .unlock)
                    return false
                }
                noteHolder(&state)
                return true
            }
            if keep { acquired(.success(())) }
        }
    }

    /// Lets go of the lock (emptying the holder note first) and stops a waiting thread
    /// from taking it later; the daemon calls it when it stops.
    func release() {
        state.withLock { state in
            state.abandoned = true
            guard state.held else { return }
            state.held = false
            LockHolderNote.clear(descriptor)
            Syscalls.fileLock(descriptor, .unlock)
        }
    }

    /// Records the lock as held and writes this process's host and pid into the file;
    /// called with the state locked.
    private func noteHolder(_ state: inout (held: Bool, abandoned: Bool)) {
        state.held = true
        LockHolderNote.write(to: descriptor)
    }

    /// `open(2)` of the sidecar, created if needed, close-on-exec so no child inherits
    /// the lock; `EINTR` is retried.
    private static func openFile(_ path: String) -> Result<Int32, Errno> {
        Errno.retrying { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640) }
    }
}

/// Whether a daemon serves a database, for commands that change it: they say so, since
/// the daemon reacts to what they do.
public enum ServingDaemon {
    /// Who serves `database` right now (`host=h pid=123`, from the serve lock), or `nil`
    /// when no daemon does.
    public static func holder(ofDatabase database: String) -> String? {
        LockHolderNote.liveHolder(ofLockFile: ServeLock.path(forDatabase: database))
    }
}
