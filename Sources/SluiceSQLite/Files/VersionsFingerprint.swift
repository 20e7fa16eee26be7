import Glibc
import SluiceCore

/// What the revision files of a versions directory look like on disk, without reading
/// them: each revision file's name, size, inode and change times. Two equal fingerprints
/// mean the files are the same ones, unchanged, so a result computed from their contents
/// (the graph's heads) still holds; this is what lets `upgrade head` at head answer
/// without parsing a thousand files.
///
/// It is kept as one byte string (each entry the name, a NUL and four little-endian 64-bit
/// numbers: size, inode, modification and change time in nanoseconds), because comparing
/// it with a stored copy is the whole job and must cost next to nothing for thousands of
/// files. Entries are in directory order, not sorted: a directory lists its entries in the
/// same order while it does not change, and a different order only costs a miss.
public struct VersionsFingerprint: Equatable, Sendable {
    /// One revision file's identity and change times.
    public struct Stamp: Equatable, Sendable {
        public let name: String
        public let size: Int64
        public let inode: UInt64
        public let modified: Int64
        public let changed: Int64
    }

    /// The canonical encoding, as stored in caches.
    public let bytes: [UInt8]

    /// Wraps an encoding read back from a cache.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The fingerprint of `directory` now, or `nil` when it cannot be listed or a file
    /// cannot be examined (the caller then reads the files the ordinary way).
    public static func take(_ directory: String) -> VersionsFingerprint? {
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        let descriptor = dirfd(stream)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 * 1024)
        while let entry = readdir(stream) {
            var status = stat()
            let outcome: EntryOutcome = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let length = raw.firstIndex(of: 0) ?? raw.count
                let name = UnsafeRawBufferPointer(rebasing: raw[..<length])
                guard isRevisionFileName(name) else { return .skipped }
                guard fstatat(descriptor, raw.baseAddress!.assumingMemoryBound(to: CChar.self), &status, 0) == 0 else { return .unreadable }
                bytes.append(contentsOf: name)
                return .added
            }
            switch outcome {
            case .skipped: continue
            case .unreadable: return nil
            case .added: break
            }
            bytes.append(0)
            for number in [UInt64(bitPattern: Int64(status.st_size)), UInt64(status.st_ino),
                           nanoseconds(status.st_mtim), nanoseconds(status.st_ctim)] {
                withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return VersionsFingerprint(bytes: bytes)
    }

    /// The entries, decoded (for tests and diagnostics; comparisons use `bytes`).
    public var stamps: [Stamp] {
        var stamps: [Stamp] = []
        var index = 0
        while index < bytes.count, let end = bytes[index...].firstIndex(of: 0), end + 33 <= bytes.count {
            func number(_ slot: Int) -> UInt64 {
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[end + 1 + slot * 8 + $1]) << UInt64($1 * 8) }
            }
            stamps.append(Stamp(name: String(decoding: bytes[index..<end], as: UTF8.self), size: Int64(bitPattern: number(0)),
                                inode: number(1), modified: Int64(bitPattern: number(2)), changed: Int64(bitPattern: number(3))))
            index = end + 33
        }
        return stamps
    }

    /// What became of one directory entry.
    private enum EntryOutcome {
        /// Not a revision file.
        case skipped
        /// A revision file `stat` could not examine.
        case unreadable
        /// A revision file whose name is now in the fingerprint.
        case added
    }

    private static func nanoseconds(_ time: timespec) -> UInt64 {
        UInt64(bitPattern: Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec))
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

    /// `VersionsDirectory.isRevisionFileName` on raw bytes: not hidden, `*.sql`, more
    /// than the extension.
    private static func isRevisionFileName(_ name: UnsafeRawBufferPointer) -> Bool {
        let count = name.count
        return count > 4 && name[0] != UInt8(ascii: ".") && name[count - 4] == UInt8(ascii: ".")
            && name[count - 3] == UInt8(ascii: "s") && name[count - 2] == UInt8(ascii: "q") && name[count - 1] == UInt8(ascii: "l")
    }
}
