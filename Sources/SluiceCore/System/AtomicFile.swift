import Glibc

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
        let directory = PathText.parent(of: path)
        let name = PathText.lastComponent(of: path)
        let temporary = PathText.join(directory, hidden ? ".\(name).sluice-tmp" : "\(name).tmp.\(getpid())")
        func failure(_ what: String) -> Failure {
            Failure(path: path, reason: "\(what): \(SystemErrorText.message(errno))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var written = 0
        var problem: Failure?
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { problem = failure("write"); break }
            written += count
        }
        if problem == nil, durable, fsync(fd) != 0 { problem = failure("fsync") }
        // The mode given, whatever the umask took away from it.
        if problem == nil, fchmod(fd, mode) != 0 { problem = failure("chmod") }
        close(fd)
        if problem == nil, rename(temporary, path) != 0 { problem = failure("rename") }
        if let problem {
            unlink(temporary)
            throw problem
        }
        guard durable else { return }
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
