import Glibc
import SluiceCore

/// What the revision files of a versions directory look like on disk, without reading
/// them: each revision file's name, size, inode and change times. Two equal fingerprints
/// mean the files are the same ones, unchanged, so a result computed from their contents
/// (the graph's heads) still holds; this is what lets `upgrade head` at head answer
/// without parsing a thousand files.
public struct VersionsFingerprint: Equatable, Sendable {
    /// One revision file's identity and change times.
    public struct Stamp: Equatable, Sendable {
        public let name: String
        public let size: Int64
        public let inode: UInt64
        public let modified: Int64
        public let changed: Int64

        /// A stamp as read back from a cache.
        public init(name: String, size: Int64, inode: UInt64, modified: Int64, changed: Int64) {
            self.name = name
            self.size = size
            self.inode = inode
            self.modified = modified
            self.changed = changed
        }
    }

    /// The revision files (as `VersionsDirectory.load` chooses them), sorted by name.
    public let stamps: [Stamp]

    /// Wraps stamps read back from a cache.
    public init(stamps: [Stamp]) {
        self.stamps = stamps
    }

    /// The fingerprint of `directory` now, or `nil` when it cannot be listed or a file
    /// cannot be examined (the caller then reads the files the ordinary way).
    public static func take(_ directory: String) -> VersionsFingerprint? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        let descriptor = dirfd(stream)
        var stamps: [Stamp] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard VersionsDirectory.isRevisionFileName(name) else { continue }
            var status = stat()
            guard fstatat(descriptor, name, &status, 0) == 0 else { return nil }
            stamps.append(Stamp(
                name: name, size: Int64(status.st_size), inode: UInt64(status.st_ino),
                modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
                changed: Int64(status.st_ctim.tv_sec) * 1_000_000_000 + Int64(status.st_ctim.tv_nsec)))
        }
        stamps.sort { $0.name < $1.name }
        return VersionsFingerprint(stamps: stamps)
    }

    /// Whether every file last changed at least `margin` before `now` (nanoseconds since
    /// 1970). File times come from a coarse kernel clock, so a file rewritten within the
    /// same tick, at the same size, would keep its stamp; a fingerprint is only worth
    /// keeping once its files have been still for longer than that.
    public func isSettled(now: Int64, margin: Int64 = 2_000_000_000) -> Bool {
        stamps.allSatisfy { max($0.modified, $0.changed) <= now - margin }
    }

    /// The wall clock in nanoseconds since 1970, the clock file times are written with.
    public static func wallClockNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
