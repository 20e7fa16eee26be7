import FoundationEssentials
import Glibc

/// Plain wording for a file-system error from `FileManager` or `Data(contentsOf:)`:
/// the system's own message (`No such file or directory`, `Permission denied`) rather than
/// a `CocoaError` dump, so an operator reading "cannot create /srv/backups: …" sees the
/// reason the kernel gave.
public enum SystemErrorText {
    /// The errno wording of `error`'s underlying POSIX error, else its description.
    public static func describe(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return message(posix.code.rawValue) }
        if let cocoa = error as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError { return message(posix.code.rawValue) }
            switch cocoa.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return message(ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return message(EACCES)
            case .fileWriteOutOfSpace: return message(ENOSPC)
            default: return "file-system error \(cocoa.code.rawValue)"
            }
        }
        return String(describing: error)
    }

    /// `strerror(3)` for `code`.
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
