import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS

/// Watches one directory with inotify and delivers settled batches of changes as an
/// `AsyncStream`, without polling: a dedicated thread blocks in `poll(2)` with no
/// timeout while nothing happens, and with the remaining settle time while a burst is
/// being gathered.
///
/// The watch is added before the caller's initial scan (at `start`), so nothing written
/// between the two is missed. Every directory on the way to it is watched too (see
/// `WatchState`), so a versions directory that is removed and created again, or swapped
/// by a symlink anywhere on its path, is followed.
public final class DirectoryWatcher: Sendable {
    /// The directory watched.
    public let directory: String
    /// The settled batches; finishes after `stop()`.
    public let batches: AsyncStream<WatchBatch>
    private let continuation: AsyncStream<WatchBatch>.Continuation
    private let channel: InotifyChannel
    private let settle: Duration

    /// Events on files inside the directory that matter.
    static let fileMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
    /// Events on the directory itself that mean it is gone.
    static let selfMask = UInt32(IN_DELETE_SELF | IN_MOVE_SELF)

    /// Which file names count: revision files by default; a fleet's members directory
    /// passes its glob.
    private let accepts: @Sendable (String) -> Bool

    /// Sets up inotify and adds the watches; call `start()` to begin delivering.
    /// - Parameter accepts: which names in the directory matter (default: revision files).
    /// - Throws: `Errno` when inotify cannot be set up at all.
    public init(directory: String, settle: Duration, accepts: @escaping @Sendable (String) -> Bool = RevisionFileName.isCandidate) throws(Errno) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.settle = settle
        self.accepts = accepts
        channel = try InotifyChannel()
        (batches, continuation) = AsyncStream.makeStream(of: WatchBatch.self, bufferingPolicy: .unbounded)
    }

    /// Starts the watching thread. The watches are in place when this returns.
    public func start() {
        let state = WatchState(directory: directory, inotifyFD: channel.inotifyFD, accepts: accepts)
        state.addWatches()
        DetachedThread.start(name: "sluice-inotify") { [self] in self.run(state) }
    }

    /// Stops the thread and finishes the stream.
    public func stop() {
        channel.wake()
    }

    private func run(_ state: WatchState) {
        var pending = WatchBatch()
        InotifyLoop.run(inotifyFD: channel.inotifyFD, wakeFD: channel.wakeFD, delay: settle, timing: .settle, absorb: { events in
            var sawSomething = false
            for event in events where state.absorb(event, into: &pending) { sawSomething = true }
            return sawSomething
        }, deliver: {
            pending.directoryMissing = state.directoryWatch == nil
            if !pending.isEmpty { continuation.yield(pending) }
            pending = WatchBatch()
        })
        continuation.finish()
    }
}

/// The watcher thread's own state: which watch is which. Not `Sendable`: `start()`
/// builds it and hands it over to the watcher thread (`sending`), which alone uses it.
///
/// The configured path is followed, not the inode found at start: the directories on the
/// way to it that a swap can change (`PathChain.watched`: from the first symbolic link
/// on, and the directory's parent) are watched for the one name that leads on; when that name
/// is created, deleted or renamed over (a symlink flipped, a directory replaced), the path
/// is walked again, the watches move to the new tree and the batch asks for a rescan.
final class WatchState {
    let directory: String
    let inotifyFD: Int32
    /// Watches on the directories on the way, with the names in each that lead on.
    var chain: [Int32: Set<String>] = [:]
    var directoryWatch: Int32?
    /// Device and inode of the directory the path led to last time.
    var resolved: (device: UInt, inode: UInt)?

    /// Events on the way to the directory that may change where the path leads.
    static let chainMask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR)

    /// Which file names count.
    let accepts: (String) -> Bool

    init(directory: String, inotifyFD: Int32, accepts: @escaping (String) -> Bool) {
        self.directory = directory
        self.inotifyFD = inotifyFD
        self.accepts = accepts
    }

    /// Adds the watches along the path and on the directory, if it exists.
    func addWatches() {
        rebuild()
    }

    /// Walks the configured path again and puts every watch where it now belongs.
    /// - Returns: whether the path leads to another directory than before (or now leads
    ///   to one, or no longer does).
    @discardableResult
    func rebuild() -> Bool {
        for watch in chain.keys { Syscalls.removeWatch(inotifyFD, watch) }
        chain = [:]
        if let directoryWatch { Syscalls.removeWatch(inotifyFD, directoryWatch) }
        directoryWatch = nil
        let walk = PathChain.resolve(directory)
        for link in walk.watched {
            if case .success(let watch) = Syscalls.addWatch(inotifyFD, path: link.directory, mask: Self.chainMask | UInt32(IN_MASK_ADD)) {
                chain[watch, default: []].insert(link.name)
            }
        }
        var now: (device: UInt, inode: UInt)?
        if let target = walk.resolved {
            let mask = DirectoryWatcher.fileMask | DirectoryWatcher.selfMask | UInt32(IN_CREATE | IN_ONLYDIR | IN_MASK_ADD)
            if case .success(let watch) = Syscalls.addWatch(inotifyFD, path: target, mask: mask) {
                directoryWatch = watch
                var info = stat()
                if stat(target, &info) == 0 { now = (UInt(info.st_dev), UInt(info.st_ino)) }
            }
        }
        let moved = now?.device != resolved?.device || now?.inode != resolved?.inode
        resolved = now
        return moved
    }

    /// Folds one event into `batch`; returns whether it mattered.
    func absorb(_ event: InotifyEvent, into batch: inout WatchBatch) -> Bool {
        if event.has(IN_Q_OVERFLOW) {
            // Events were lost: the path is walked and the directory read again.
            rebuild()
            batch.rescan = true
            return true
        }
        if let names = chain[event.watch], names.contains(event.name) {
            // A name on the way was swapped: follow the path to wherever it leads now.
            rebuild()
            batch.rescan = true
            return true
        }
        guard event.watch == directoryWatch else { return false }
        if event.has(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) && event.name.isEmpty {
            rebuild()
            batch.rescan = true
            return true
        }
        // Kubernetes' atomic writer swaps `..data` (and its timestamped directories): the
        // revision files are symlinks through it, so their content changed.
        if event.name.hasPrefix("..") {
            batch.rescan = true
            return true
        }
        guard accepts(event.name), !event.has(IN_ISDIR) else { return false }
        if event.has(IN_CREATE) {
            // A regular file is taken when it is closed after writing; a symbolic link
            // has no such moment, so its creation counts.
            var info = stat()
            let path = directory.hasSuffix("/") ? directory + event.name : directory + "/" + event.name
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return false }
        }
        batch.changed.insert(event.name)
        return true
    }
}
