import Glibc
import SystemPackage

/// Replaces a file whole or not at all: the bytes go to a temporary file in the same
/// directory, which is renamed over the target, so a reader (the daemon watching the
/// versions directory, `sluice status` reading the state file, a cache lookup) sees the
/// old file or the new one, never half of one. The one writer of this kind in sluice.
public enum AtomicFile {
    /// A write that did not happen; the target is unchanged.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The file that was to be written.
        public let path: String
        /// What failed, in the system's words.
        public let reason: String
        /// `cannot write /var/lib/sluice/state.json: No space left on device`.
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `bytes` to `path`.
    /// - Parameters:
    ///   - mode: the new file's permission bits.
    ///   - hidden: name the temporary file as a dotfile (`.name.sluice-tmp`), which a
    ///     watcher of the directory ignores, rather than `name.tmp.<pid>`.
    ///   - durable: `fsync` the file before the rename and the directory after it, so the
    ///     new content survives a power cut once this returns (the state file); a cache
    ///     can skip it.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, hidden: Bool = false,
                             durable: Bool = true) throws(Failure) {
        let target = FilePath(path)
        let directory = target.removingLastComponent()
        let name = target.lastComponent?.string ?? path
        let temporary = directory.appending(hidden ? ".\(name).sluice-tmp" : "\(name).tmp.\(getpid())")
        func failure(_ what: String, _ error: Errno) -> Failure {
            Failure(path: path, reason: "\(what): \(error)")
        }
        let file: FileDescriptor
        do {
            file = try FileDescriptor.open(temporary, .writeOnly, options: [.create, .truncate, .closeOnExec],
                                           permissions: FilePermissions(rawValue: mode))
        } catch {
            throw failure("cannot create \(temporary)", error as? Errno ?? .ioError)
        }
        var problem: Failure?
        do {
            _ = try file.writeAll(bytes)
        } catch {
            problem = failure("write", error as? Errno ?? .ioError)
        }
        if problem == nil, durable, fsync(file.rawValue) != 0 { problem = failure("fsync", .last) }
        // The mode given, whatever the umask took away from it.
        if problem == nil, fchmod(file.rawValue, mode) != 0 { problem = failure("chmod", .last) }
        try? file.close()
        if problem == nil, rename(temporary.string, path) != 0 { problem = failure("rename", .last) }
        if let problem {
            unlink(temporary.string)
            throw problem
        }
        guard durable else { return }
        if let folder = try? FileDescriptor.open(directory.isEmpty ? "." : directory, .readOnly, options: [.directory, .closeOnExec]) {
            fsync(folder.rawValue)
            try? folder.close()
        }
    }
}
