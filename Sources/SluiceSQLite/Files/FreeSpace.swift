import Glibc
import SluiceCore
import SluiceOS

/// Room left on a file system, from `statvfs(3)`: what an unprivileged process may still
/// write (`f_bavail`, not the blocks kept for root), so a backup is refused before it
/// starts rather than failing on a full disk halfway through.
public enum FreeSpace {
    /// The bytes an unprivileged writer may still use on the file system holding `path`,
    /// from `statvfs(3)` (retrying `EINTR`), or why the call failed.
    public static func available(at path: String) -> Result<Int64, SystemCallError> {
        var status = statvfs()
        return Errno.retrying { statvfs(path, &status) }
            .map { _ in Int64(status.f_bavail) * Int64(status.f_frsize) }
            .mapError { SystemCallError(call: "statvfs", path: path, error: $0) }
    }
}

/// A system call that failed, with what it was called on: which call, which file, and
/// the `Errno` it left.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// The C function.
    public let call: String
    /// The file it was called on.
    public let path: String
    /// What the kernel said.
    public let error: Errno
    /// `statvfs(/srv/backups): No such file or directory (errno 2)`.
    public var description: String { "\(call)(\(path)): \(error)" }
}
