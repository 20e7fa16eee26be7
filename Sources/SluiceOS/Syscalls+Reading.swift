import Glibc
import SystemPackage

/// Reading whole things from a descriptor, through swift-system's `FileDescriptor`
/// (which retries `EINTR`): the revision files, the at-head cache, the database header
/// the no-op path reads, `/proc/locks`.
extension Syscalls {
    /// Up to `count` bytes, from `offset` when given (`pread`, the file position
    /// untouched) or else from the current position; fewer only at end of file. `nil`
    /// when a read fails.
    public static func readBytes(_ fd: Int32, count: Int, offset: Int? = nil) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        let file = FileDescriptor(rawValue: fd)
        while done < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                Errno.catching {
                    let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
                    return try offset.map { try file.read(fromAbsoluteOffset: Int64($0 + done), into: rest) } ?? file.read(into: rest)
                }
            }
            guard case .success(let got) = read else { return nil }
            if got == 0 { break }
            done += got
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// Everything up to end of file (for files whose size `stat` does not tell, such as
    /// those in `/proc`); `nil` when a read fails.
    public static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        while let chunk = readBytes(fd, count: 16_384) {
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
        return nil
    }
}
