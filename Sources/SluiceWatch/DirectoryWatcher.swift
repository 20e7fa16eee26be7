import FoundationEssentials
import Glibc
import SluiceCore

/// Watches one directory with inotify and delivers settled batches of changes as an
/// `AsyncStream`, without polling: a dedicated thread blocks in `poll(2)` with no
/// timeout while nothing happens, and with the remaining settle time while a burst is
/// being gathered.
///
/// The watch is added before the caller's initial scan (at `init`), so nothing written
/// between the two is missed. The parent directory is watched too, so a versions
/// directory that is removed and created again is watched again.
public final class DirectoryWatcher: Sendable {
    /// The directory watched.
    public let directory: String
    /// The settled batches; finishes after `stop()`.
    public let batches: AsyncStream<WatchBatch>
    private let continuation: AsyncStream<WatchBatch>.Continuation
    private let inotifyFD: Int32
    private let wakeFD: Int32
    private let wakeWriteFD: Int32
    private let settle: Duration

    /// Events on files inside the directory that matter.
    static let fileMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
    /// Events on the directory itself that mean it is gone.
    static let selfMask = UInt32(IN_DELETE_SELF | IN_MOVE_SELF)
    /// Events in the parent that may bring the directory back.
    static let parentMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)

    /// Sets up inotify and adds the watches; call `start()` to begin delivering.
    /// - Throws: `Errno` when inotify cannot be set up at all.
    public init(directory: String, settle: Duration) throws(Errno) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.settle = settle
        inotifyFD = try Syscalls.inotifyInit().get()
        do {
            (wakeFD, wakeWriteFD) = try Syscalls.pipe().get()
        } catch {
            Syscalls.close(inotifyFD)
            throw error
        }
        (batches, continuation) = AsyncStream.makeStream(of: WatchBatch.self, bufferingPolicy: .unbounded)
    }

    deinit {
        Syscalls.close(inotifyFD)
        Syscalls.close(wakeFD)
        Syscalls.close(wakeWriteFD)
    }

    /// Starts the watching thread. The watches are in place when this returns.
    public func start() {
        let state = WatchState(directory: directory, inotifyFD: inotifyFD)
        state.addWatches()
        DetachedThread.start(name: "sluice-inotify") { [self] in self.run(state) }
    }

    /// Stops the thread and finishes the stream.
    public func stop() {
        Syscalls.signal(pipe: wakeWriteFD)
    }

    private func run(_ state: WatchState) {
        let clock = ContinuousClock()
        var pending = WatchBatch()
        var deadline: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let remaining = deadline - clock.now
                let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                timeout = Int32(clamping: max(0, milliseconds + 1))
            }
            guard case .success(let ready) = Syscalls.poll([inotifyFD, wakeFD], timeout: timeout) else { break }
            if ready[1] { break }
            if ready[0] {
                var sawSomething = false
                while true {
                    let result = buffer.withUnsafeMutableBytes { Syscalls.read(inotifyFD, into: $0) }
                    guard case .success(let count) = result, count > 0 else { break }
                    let events = buffer.withUnsafeBytes { InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    for event in events where state.absorb(event, into: &pending) { sawSomething = true }
                }
                if sawSomething { deadline = clock.now + settle }
            }
            if let current = deadline, clock.now >= current {
                pending.directoryMissing = state.directoryWatch == nil
                if !pending.isEmpty { continuation.yield(pending) }
                pending = WatchBatch()
                deadline = nil
            }
        }
        continuation.finish()
    }
}

/// The watcher thread's own state: which watch is which. Only that thread touches it
/// after `start()`.
final class WatchState: @unchecked Sendable {
    // @unchecked: created on the caller's thread, then handed to the watcher thread and
    // used only there; `start()` happens-before the thread runs.
    let directory: String
    let parent: String
    let name: String
    let inotifyFD: Int32
    var directoryWatch: Int32?
    var parentWatch: Int32?

    init(directory: String, inotifyFD: Int32) {
        self.directory = directory
        let url = URL(fileURLWithPath: directory)
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        self.inotifyFD = inotifyFD
    }

    /// Adds the parent watch and, if the directory exists, its watch.
    func addWatches() {
        if case .success(let watch) = Syscalls.addWatch(inotifyFD, path: parent, mask: DirectoryWatcher.parentMask) {
            parentWatch = watch
        }
        watchDirectory()
    }

    @discardableResult
    func watchDirectory() -> Bool {
        let mask = DirectoryWatcher.fileMask | DirectoryWatcher.selfMask | UInt32(IN_ONLYDIR)
        guard case .success(let watch) = Syscalls.addWatch(inotifyFD, path: directory, mask: mask) else { return false }
        directoryWatch = watch
        return true
    }

    /// Folds one event into `batch`; returns whether it mattered.
    func absorb(_ event: InotifyEvent, into batch: inout WatchBatch) -> Bool {
        if event.has(IN_Q_OVERFLOW) {
            // Events were lost: the directory is read again from scratch.
            batch.rescan = true
            return true
        }
        if event.watch == directoryWatch {
            if event.has(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) && event.name.isEmpty {
                if event.has(IN_MOVE_SELF) { Syscalls.removeWatch(inotifyFD, event.watch) }
                directoryWatch = nil
                batch.rescan = true
                // It may have come back already, before this event was read.
                if watchDirectory() { batch.rescan = true }
                return true
            }
            guard RevisionFileName.isCandidate(event.name), !event.has(IN_ISDIR) else { return false }
            batch.changed.insert(event.name)
            return true
        }
        if event.watch == parentWatch, event.name == name, directoryWatch == nil, event.has(IN_ISDIR) {
            if watchDirectory() {
                batch.rescan = true
                return true
            }
        }
        return false
    }
}
