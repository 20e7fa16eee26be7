import Glibc
import SystemPackage

/// Reads a directory's entries: the one directory reader in sluice. The versions
/// directory is listed through it by `sluice` commands, the daemon's scans and the no-op
/// fast path's fingerprint alike, so they all see the same names.
public enum DirectoryListing {
    /// One entry's name, valid only during the call it is passed to.
    public struct Entry {
        /// The name's bytes, without the terminating NUL.
        public let name: UnsafeRawBufferPointer
        /// The same name, NUL-terminated, for calls such as `fstatat`.
        public let cString: UnsafePointer<CChar>
    }

    /// Calls `body` with each entry (no `.` or `..`, no copy per entry) and the open
    /// directory, for `fstatat` relative to it; `body` returns `false` to stop early.
    /// - Returns: the directory's own status, taken before it was listed (so an entry
    ///   added during the listing leaves the directory newer than the status says).
    public static func walk(_ directory: String, _ body: (_ entry: Entry, _ folder: FileDescriptor) -> Bool) -> Result<stat, Errno> {
        let folder: FileDescriptor
        do {
            folder = try FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory, .closeOnExec])
        } catch {
            return .failure(error as? Errno ?? .ioError)
        }
        var status = stat()
        guard fstat(folder.rawValue, &status) == 0 else {
            let error = Errno.last
            try? folder.close()
            return .failure(error)
        }
        // The stream owns the descriptor from here: `closedir` closes it.
        guard let stream = fdopendir(folder.rawValue) else {
            let error = Errno.last
            try? folder.close()
            return .failure(error)
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let keepGoing = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool in
                let name = UnsafeRawBufferPointer(rebasing: raw[..<(raw.firstIndex(of: 0) ?? raw.count)])
                if name.elementsEqual(".".utf8) || name.elementsEqual("..".utf8) { return true }
                return body(Entry(name: name, cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self)), folder)
            }
            if !keepGoing { break }
        }
        return .success(status)
    }

    /// The names in `directory`, in no particular order.
    public static func names(in directory: String) -> Result<[String], Errno> {
        var names: [String] = []
        return walk(directory) { entry, _ in
            names.append(String(decoding: entry.name, as: UTF8.self))
            return true
        }.map { _ in names }
    }
}
