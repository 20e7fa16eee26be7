import Glibc

/// One record from an inotify read: `struct inotify_event` decoded.
public struct InotifyEvent: Sendable, Equatable {
    /// The watch descriptor; -1 for `IN_Q_OVERFLOW`.
    public let watch: Int32
    /// The event mask (`IN_CLOSE_WRITE`, `IN_MOVED_TO`, …).
    public let mask: UInt32
    /// Links the two halves of a rename.
    public let cookie: UInt32
    /// The entry's name inside the watched directory; empty for events on the directory
    /// itself.
    public let name: String

    /// Creates an event (tests build them by hand).
    public init(watch: Int32, mask: UInt32, cookie: UInt32 = 0, name: String) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    /// Whether any of `bits` is set.
    public func has(_ bits: Int32) -> Bool { mask & UInt32(bitPattern: bits) != 0 }

    /// Decodes a buffer filled by `read` on an inotify descriptor: a sequence of
    /// `{ wd, mask, cookie, len, name[len] }` records, the name NUL-padded. Pure, so it
    /// is tested without a kernel.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        let header = 16
        while offset + header <= bytes.count {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            guard offset + header + length <= bytes.count else { break }
            let nameBytes = bytes[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
            events.append(InotifyEvent(watch: watch, mask: mask, cookie: cookie, name: String(decoding: nameBytes, as: UTF8.self)))
            offset += header + length
        }
        return events
    }
}
