import Foundation
import Glibc

/// Tells a test the moment a file appears in a directory (inotify `IN_CREATE`), so it
/// can act while another process is in the middle of writing it — kill the daemon while
/// a backup is being copied — without polling and guessing at timings.
public final class CreationWatch: @unchecked Sendable {
    // @unchecked: one test uses a watch at a time; the descriptor never changes.
    private let fd: Int32
    /// The directory watched.
    public let directory: String

    /// A failed setup call.
    public struct SetupError: Error, CustomStringConvertible {
        /// The call and the `errno` it failed with.
        public let call: String
        public let code: Int32
        public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// Starts watching `directory`, which must exist.
    public init(directory: String) throws {
        self.directory = directory
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw SetupError(call: "inotify_init1", code: errno) }
        guard inotify_add_watch(fd, directory, UInt32(IN_CREATE)) >= 0 else {
            let code = errno
            close(fd)
            throw SetupError(call: "inotify_add_watch \(directory)", code: code)
        }
    }

    deinit { close(fd) }

    /// Waits for a file whose name satisfies `matching` to be created, up to `timeout`.
    /// - Returns: its name, or `nil` when none appeared in time.
    public func next(timeout: Duration, matching: (String) -> Bool) -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let header = MemoryLayout<inotify_event>.size
        while clock.now < deadline {
            let left = deadline - clock.now
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&entry, 1, milliseconds) == 1 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var offset = 0
            while offset + header <= count {
                let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                if matching(name) { return name }
                offset += header + length
            }
        }
        return nil
    }
}
