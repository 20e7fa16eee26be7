import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS

/// Tells the daemon that some process wrote the database — a CLI downgrade, a
/// `sluice restore`, a `stamp`, the application — without polling: inotify on the
/// database's directory, for the database file and its `-journal` and `-wal` files
/// (writes, creation, deletion, renames onto them).
///
/// A busy application writes many times a second, so notices are throttled, not
/// settled: the first event arms a short delay, events during it are folded into the
/// same notice, and the next event after it arms another. While nothing writes, the
/// thread blocks in `poll(2)` with no timeout. What changed is for the receiver to find
/// out (`PRAGMA data_version`, the version rows).
public final class DatabaseWatcher: Sendable {
    /// One notice per throttled burst of writes; finishes after `stop()`.
    public let changes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let channel: InotifyChannel
    private let delay: Duration
    private let directory: String
    private let names: Set<String>

    /// Events on the files that matter.
    static let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR)

    /// Sets up inotify for `database`; call `start()` to begin delivering.
    /// - Parameter delay: how long a burst of writes is folded into one notice.
    /// - Throws: `Errno` when inotify cannot be set up.
    public init(database: String, delay: Duration = .milliseconds(100)) throws(Errno) {
        let url = URL(fileURLWithPath: database)
        directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        names = [name, name + "-journal", name + "-wal"]
        self.delay = delay
        channel = try InotifyChannel()
        (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds the watch and starts the thread; the watch is in place when this returns.
    /// - Returns: whether the directory could be watched.
    @discardableResult
    public func start() -> Bool {
        guard case .success = Syscalls.addWatch(channel.inotifyFD, path: directory, mask: Self.mask) else { return false }
        DetachedThread.start(name: "sluice-db-watch") { [self] in self.run() }
        return true
    }

    /// Stops the thread and finishes the stream.
    public func stop() {
        channel.wake()
    }

    private func run() {
        InotifyLoop.run(inotifyFD: channel.inotifyFD, wakeFD: channel.wakeFD, delay: delay, timing: .throttle, absorb: { events in
            events.contains { $0.has(IN_Q_OVERFLOW) || names.contains($0.name) }
        }, deliver: {
            continuation.yield(())
        })
        continuation.finish()
    }
}
