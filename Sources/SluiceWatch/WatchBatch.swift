/// What changed in the versions directory during one settled burst of events.
public struct WatchBatch: Sendable, Equatable {
    /// Revision-file names that were written, moved in, moved out, deleted or had their
    /// permissions changed.
    public var changed: Set<String> = []
    /// Whether the whole directory must be read again: the event queue overflowed, or
    /// the directory itself disappeared or came back.
    public var rescan = false
    /// Whether the directory is currently missing.
    public var directoryMissing = false

    /// Creates an empty batch.
    public init(changed: Set<String> = [], rescan: Bool = false, directoryMissing: Bool = false) {
        self.changed = changed
        self.rescan = rescan
        self.directoryMissing = directoryMissing
    }

    /// Whether the batch carries anything.
    public var isEmpty: Bool { changed.isEmpty && !rescan }
}
