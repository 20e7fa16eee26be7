import Glibc
import SluiceOS

/// What the revision files of a versions directory look like on disk, without reading
/// them: each revision file's name, size, inode and change times. Two equal fingerprints
/// mean the files are the same ones, unchanged, so a result computed from their contents
/// (the graph's heads) still holds; this is what lets `upgrade head` at head answer
/// without parsing a thousand files.
///
/// It is kept as one byte string because comparing it with a stored copy is the whole job
/// and must cost next to nothing for thousands of files: first the directory's own
/// stamp (four little-endian 64-bit numbers: device, inode, modification and change time
/// in nanoseconds), then per file its name, a NUL and four numbers (size, inode,
/// modification and change time). Entries are in directory order, not sorted: a
/// directory lists its entries in the same order while it does not change, and a
/// different order only costs a miss. `stillDescribes(_:)` checks a stored fingerprint
/// against the disk without listing the directory again.
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
    /// cannot be examined (the caller then reads the files the ordinary way). The
    /// directory's own stamp is taken before it is listed, so an entry added during the
    /// listing leaves the directory newer than its recorded stamp.
    public static func take(_ directory: String) -> VersionsFingerprint? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 * 1024)
        // The directory's numbers go first, but are known only once the walk began.
        var files: [UInt8] = []
        files.reserveCapacity(64 * 1024)
        var unreadable = false
        var status = stat()
        let walked = DirectoryListing.walk(directory) { entry, folder in
            guard isRevisionFileName(entry.name) else { return true }
            guard fstatat(folder.rawValue, entry.cString, &status, 0) == 0 else { unreadable = true; return false }
            files.append(contentsOf: entry.name)
            files.append(0)
            appendNumbers(fileNumbers(status), to: &files)
            return true
        }
        guard case .success(let folderStatus) = walked, !unreadable else { return nil }
        appendNumbers(directoryNumbers(folderStatus), to: &bytes)
        bytes.append(contentsOf: files)
        return VersionsFingerprint(bytes: bytes)
    }

    /// Whether `directory` still looks exactly as this fingerprint recorded it, checked
    /// without listing it: the directory's device, inode, modification and change times
    /// equal (POSIX has creating, removing or renaming an entry update the directory's
    /// times, so the same times mean the same names), then one `stat` per recorded file,
    /// compared in place. Any difference, or anything that cannot be examined, is `false`.
    public func stillDescribes(_ directory: String) -> Bool {
        guard bytes.count >= Self.headerSize else { return false }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return bytes.withUnsafeBytes { raw in
            guard Self.numbers(raw, at: 0) == Self.directoryNumbers(status) else { return false }
            var index = Self.headerSize
            while index < raw.count {
                guard let end = raw[index...].firstIndex(of: 0), end + 1 + Self.numbersSize <= raw.count,
                      fstatat(descriptor, (raw.baseAddress! + index).assumingMemoryBound(to: CChar.self), &status, 0) == 0,
                      Self.numbers(raw, at: end + 1) == Self.fileNumbers(status)
                else { return false }
                index = end + 1 + Self.numbersSize
            }
            return true
        }
    }

    /// The entries, decoded (for tests and diagnostics; comparisons use `bytes`).
    public var stamps: [Stamp] {
        var stamps: [Stamp] = []
        bytes.withUnsafeBytes { raw in
            var index = Self.headerSize
            while index < raw.count, let end = raw[index...].firstIndex(of: 0), end + 1 + Self.numbersSize <= raw.count {
                let (size, inode, modified, changed) = Self.numbers(raw, at: end + 1)
                stamps.append(Stamp(name: String(decoding: raw[index..<end], as: UTF8.self), size: Int64(bitPattern: size),
                                    inode: inode, modified: Int64(bitPattern: modified), changed: Int64(bitPattern: changed)))
                index = end + 1 + Self.numbersSize
            }
        }
        return stamps
    }

    /// The versions directory's own device, inode, modification and change times, as
    /// recorded (`nil` for a truncated encoding).
    public var directoryStamp: (device: UInt64, inode: UInt64, modified: Int64, changed: Int64)? {
        guard bytes.count >= Self.headerSize else { return nil }
        let (device, inode, modified, changed) = bytes.withUnsafeBytes { Self.numbers($0, at: 0) }
        return (device, inode, Int64(bitPattern: modified), Int64(bitPattern: changed))
    }

    private typealias Numbers = (UInt64, UInt64, UInt64, UInt64)

    /// Four little-endian 64-bit numbers.
    private static let numbersSize = 32
    /// The directory's stamp at the front of the encoding.
    private static let headerSize = numbersSize

    private static func directoryNumbers(_ status: stat) -> Numbers {
        (UInt64(status.st_dev), UInt64(status.st_ino), nanoseconds(status.st_mtim), nanoseconds(status.st_ctim))
    }

    private static func fileNumbers(_ status: stat) -> Numbers {
        (UInt64(bitPattern: Int64(status.st_size)), UInt64(status.st_ino), nanoseconds(status.st_mtim), nanoseconds(status.st_ctim))
    }

    private static func appendNumbers(_ numbers: Numbers, to bytes: inout [UInt8]) {
        for number in [numbers.0, numbers.1, numbers.2, numbers.3] {
            withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
        }
    }

    private static func numbers(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Numbers {
        func number(_ slot: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + slot * 8, as: UInt64.self)) }
        return (number(0), number(1), number(2), number(3))
    }

    private static func nanoseconds(_ time: timespec) -> UInt64 {
        UInt64(bitPattern: Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec))
    }

    /// Whether every file last changed at least `margin` before `now` (nanoseconds since
    /// 1970). File times come from a coarse kernel clock, so a file rewritten within the
    /// same tick, at the same size, would keep its stamp; a fingerprint is only worth
    /// keeping once its files have been still for longer than that.
    public func isSettled(now: Int64, margin: Int64 = 2_000_000_000) -> Bool {
        guard let directory = directoryStamp else { return false }
        return max(directory.modified, directory.changed) <= now - margin
            && stamps.allSatisfy { max($0.modified, $0.changed) <= now - margin }
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
