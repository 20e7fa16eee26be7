import Glibc

/// Room left on a file system, from `statvfs(3)`: what an unprivileged process may still
/// write (`f_bavail`, not the blocks kept for root), so a backup is refused before it
/// starts rather than failing on a full disk halfway through.
public enum FreeSpace {
    /// The bytes an unprivileged writer may still use on the file system holding `path`,
    /// from `statvfs(3)` (retrying `EINTR`), or the errno when the call fails.
    public static func available(at path: String) -> Result<Int64, SystemCallError> {
        var status = statvfs()
        while statvfs(path, &status) != 0 {
            if errno == EINTR { continue }
            return .failure(SystemCallError(call: "statvfs", path: path, code: errno))
        }
        return .success(Int64(status.f_bavail) * Int64(status.f_frsize))
    }
}

/// A system call that failed: which, on what, and its errno.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    /// The C function.
    public let call: String
    /// The file it was called on.
    public let path: String
    /// `errno`.
    public let code: Int32
    public var description: String { "\(call)(\(path)): \(String(cString: strerror(code)))" }
}
