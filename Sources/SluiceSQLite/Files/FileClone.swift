import Glibc
import SluiceOS

/// Copy-on-write clones of whole files: `ioctl(FICLONE)`, which XFS (with reflinks),
/// btrfs and a few others answer by sharing the source's extents, so a clone of a
/// gigabyte takes milliseconds and writes almost nothing. That is what lets a backup of a
/// rollback-journal database hold the application's writes back only for an instant.
enum FileClone {
    /// `FICLONE` from `<linux/fs.h>` (`_IOW(0x94, 9, int)`), which Glibc does not export.
    static let request: UInt = 0x4004_9409

    /// Why a clone was not made.
    enum Failure: Error {
        /// The file system (or the pair of files, on different file systems) cannot
        /// clone: copy another way.
        case unsupported(errno: Int32)
        /// The clone was possible but failed (a full disk, an I/O error).
        case failed(errno: Int32)
    }

    /// Makes `destination` (open for writing, empty) share `source`'s data, with
    /// `ioctl(2)` `FICLONE`, retrying `EINTR`.
    static func clone(from source: Int32, to destination: Int32) -> Result<Void, Failure> {
        guard case .failure(let error) = Errno.retrying({ ioctl(destination, request, CInt(source)) }) else { return .success(()) }
        let code = error.rawValue
        switch code {
        // EOPNOTSUPP: the file system cannot; EXDEV: another file system; EINVAL and
        // ENOTTY: not a regular file or an old kernel; EPERM: an overlay's lower layer.
        case EOPNOTSUPP, EXDEV, EINVAL, ENOTTY, EPERM: return .failure(.unsupported(errno: code))
        default: return .failure(.failed(errno: code))
        }
    }
}
