import Foundation
import Glibc

/// An XFS file system with reflinks, in a sparse image file loop-mounted on a fresh
/// temporary directory, so a test can take a backup by `FICLONE` for real. Unmounted and
/// removed when released.
///
/// It needs root with `CAP_SYS_ADMIN`, free loop devices and `mkfs.xfs` (Debian's
/// `xfsprogs`): suites check `CloningFilesystem.isAvailable` and are skipped, saying why,
/// otherwise.
public final class CloningFilesystem: @unchecked Sendable {
    // @unchecked: nothing stored changes after init.
    /// Whether tests can make one here; found out once, by really making one.
    public static let isAvailable: Bool = (try? CloningFilesystem()) != nil

    /// A step that failed: the command and what it said.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    private let directory: TemporaryDirectory
    private var mounted = false
    /// The mount point.
    public var path: String { directory.url("mnt") }

    /// Makes a 512 MiB sparse image, formats it as XFS with reflinks and mounts it.
    /// - Throws: `SetupError` naming the command that failed.
    public init() throws {
        directory = TemporaryDirectory(prefix: "sluice-xfs")
        let image = directory.url("xfs.img")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard truncate(image, 512 << 20) == 0 || (creat(image, 0o600) >= 0 && truncate(image, 512 << 20) == 0) else {
            throw SetupError(description: "cannot make \(image): \(String(cString: strerror(errno)))")
        }
        for command in [["/usr/sbin/mkfs.xfs", "-q", "-m", "reflink=1", image], ["/bin/mount", "-o", "loop", image, path]] {
            guard access(command[0], X_OK) == 0 else { throw SetupError(description: "\(command[0]) is not installed") }
            let result = try SluiceBinary.runProgram(command[0], Array(command.dropFirst()))
            guard result.status == 0 else { throw SetupError(description: "\(command.joined(separator: " ")): \(result.stderr)") }
        }
        mounted = true
    }

    deinit {
        // A lazy unmount cannot fail on a busy mount; the loop device is freed with it.
        if mounted { umount2(path, Int32(MNT_DETACH)) }
    }

    /// `path/relative`.
    public func url(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }
}
