import Foundation
import Glibc

/// A tmpfs of a fixed size mounted on a fresh temporary directory, so a test can fill a
/// disk for real (`ENOSPC`, SQLite's `SQLITE_FULL`) without touching the machine's own
/// disks. Unmounted and removed when released.
///
/// Mounting needs root with `CAP_SYS_ADMIN`, which an unprivileged container lacks:
/// suites check `SmallFilesystem.isAvailable` and are skipped, saying why, otherwise.
public final class SmallFilesystem: @unchecked Sendable {
    // @unchecked: `directory` never changes after init; nothing else is stored.
    /// Whether tests can mount a small filesystem on this machine; found out once, by
    /// really mounting (and unmounting) a 1 MiB one.
    public static let isAvailable: Bool = (try? SmallFilesystem(bytes: 1 << 20)) != nil

    /// A mount that failed.
    public struct MountError: Error, CustomStringConvertible {
        /// The mount point.
        public let path: String
        /// `errno` from `mount(2)`.
        public let code: Int32
        public var description: String {
            "mount -t tmpfs on \(path) failed: \(String(cString: strerror(code))); these tests need root with CAP_SYS_ADMIN"
        }
    }

    private let directory: TemporaryDirectory
    /// The mount point.
    public var path: String { directory.path }

    /// Mounts a tmpfs of `bytes` (rounded up to pages by the kernel) on a new directory.
    /// - Throws: `MountError` when the kernel refuses (no privilege).
    public init(bytes: Int) throws {
        directory = TemporaryDirectory(prefix: "sluice-disk")
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            throw MountError(path: directory.path, code: errno)
        }
    }

    deinit {
        // A lazy unmount cannot fail on a busy mount; the directory is then empty and is
        // removed with the TemporaryDirectory.
        umount2(directory.path, Int32(MNT_DETACH))
    }

    /// `path/relative`.
    public func url(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    /// Bytes still free for files, from `statvfs(3)`.
    public var freeBytes: Int {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return 0 }
        return Int(status.f_bavail) * Int(status.f_frsize)
    }

    /// Writes a file of `bytes` zero bytes that really takes space (tmpfs keeps every
    /// written page), to leave a known amount free.
    @discardableResult
    public func fill(_ relative: String, bytes: Int) throws -> String {
        let full = url(relative)
        try Data(count: bytes).write(to: URL(fileURLWithPath: full))
        return full
    }
}
