import Glibc
import SluiceCore
import SluiceSQLite

/// Reads the revision files of the versions directory for the daemon, with the checks an
/// unattended service needs (like sshd's `StrictModes`) and a cache so that a burst of
/// events re-reads only the files that changed.
///
/// With `strictPermissions`, files writable by group or others, and files owned by anyone
/// but root or the service's own user, are rejected with the reason; a symbolic link is
/// accepted only when it leads to a regular file inside the versions directory that passes
/// the same checks (Kubernetes' ConfigMap layout), never one that leaves it. Files over 16 MiB are rejected from their size,
/// without being read.
public final class RevisionFileInspector {
    /// What became of one file.
    public enum Outcome: Sendable {
        /// It parsed.
        case revision(Revision)
        /// It was refused: unsafe, too large, or malformed.
        case rejected(RevisionFileError)
    }

    /// One revision file of the directory and its outcome.
    public struct Entry: Sendable {
        public let name: String
        public let path: String
        public let outcome: Outcome
    }

    private struct Identity: Equatable, Sendable {
        let device: UInt
        let inode: UInt
        let size: Int
        let modified: Int
        let changed: Int
        let mode: UInt32
        let owner: UInt32
        /// For a symbolic link, the file it leads to: a Kubernetes `..data` swap changes
        /// that, and not the link.
        var target: [Int] = []

        init(_ info: stat) {
            device = UInt(info.st_dev)
            inode = UInt(info.st_ino)
            size = Int(info.st_size)
            modified = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
            changed = info.st_ctim.tv_sec * 1_000_000_000 + info.st_ctim.tv_nsec
            mode = info.st_mode
            owner = info.st_uid
        }
    }

    private let strictPermissions: Bool
    private var cache: [String: (Identity, Outcome)] = [:]

    /// Creates an inspector.
    public init(strictPermissions: Bool) {
        self.strictPermissions = strictPermissions
    }

    /// Every revision file in `directory`, sorted by name; an empty list when the
    /// directory is missing. Thousands of files are looked at on every core, and those
    /// the cache cannot answer for read and parsed there: a start with thousands of
    /// revision files is mostly that.
    public func scan(_ directory: String) -> [Entry] {
        guard case .success(let names) = VersionsDirectory.revisionFileNames(in: directory) else { cache.removeAll(); return [] }
        let root = Self.realPath(directory)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let known = cache
        let strict = strictPermissions
        let found = VersionsDirectory.eachFile(names) { name -> (Probe, Outcome)? in
            guard let probe = Probe(path: prefix + name) else { return nil }
            if let (identity, outcome) = known[probe.path], identity == probe.identity { return (probe, outcome) }
            return Self.read(probe, strictPermissions: strict, root: root).map { (probe, $0) }
        }
        var entries: [Entry] = []
        entries.reserveCapacity(names.count)
        var kept: [String: (Identity, Outcome)] = [:]
        kept.reserveCapacity(names.count)
        for (name, file) in zip(names, found) {
            guard let (probe, outcome) = file else { continue }
            kept[probe.path] = (probe.identity, outcome)
            entries.append(Entry(name: name, path: probe.path, outcome: outcome))
        }
        cache = kept
        return entries
    }

    /// Inspects one file; `nil` for a sub-folder or anything else that is not a file.
    /// - Parameter root: the versions directory with every symbolic link resolved; with
    ///   `strictPermissions`, a symbolic link is accepted only when it leads to a regular
    ///   file inside it (Kubernetes' ConfigMap layout: `name.sql -> ..data/name.sql`),
    ///   and that file must pass the mode and owner checks itself. `nil`: the file's own
    ///   directory.
    public func inspect(_ path: String, root: String? = nil) -> Outcome? {
        guard let probe = Probe(path: path) else { return nil }
        if let (cached, outcome) = cache[path], cached == probe.identity { return outcome }
        guard let outcome = Self.read(probe, strictPermissions: strictPermissions, root: root) else { return nil }
        cache[path] = (probe.identity, outcome)
        return outcome
    }

    /// One file as `lstat` (and, for a symbolic link, `stat`) found it.
    private struct Probe: Sendable {
        let path: String
        let identity: Identity
        let type: UInt32
        let mode: UInt32
        let owner: UInt32
        /// For a symbolic link: the mode and owner of what it leads to, `nil` when it
        /// leads nowhere.
        let target: (mode: UInt32, owner: UInt32)?

        init?(path: String) {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            self.path = path
            var identity = Identity(info)
            type = info.st_mode & S_IFMT
            mode = info.st_mode
            owner = info.st_uid
            var followed = stat()
            if type == S_IFLNK, stat(path, &followed) == 0 {
                let leads = Identity(followed)
                identity.target = [Int(leads.device), Int(leads.inode), leads.size, leads.modified, leads.changed, Int(leads.mode), Int(leads.owner)]
                target = (followed.st_mode, followed.st_uid)
            } else {
                target = nil
            }
            self.identity = identity
        }
    }

    /// Reads and judges the file `probe` found; `nil` when it is not a file (any more).
    /// Touches nothing shared, so the scan runs it on several threads.
    private static func read(_ probe: Probe, strictPermissions: Bool, root: String?) -> Outcome? {
        let path = probe.path
        if probe.type == S_IFLNK {
            guard let target = probe.target, target.mode & S_IFMT == S_IFREG else { return nil }
            guard strictPermissions else {
                return VersionsDirectory.readRevisionFile(path, followLinks: true).map(outcome)
            }
            let inside = root ?? realPath(PathText.parent(of: path))
            let resolved = realPath(path)
            guard let resolved, let inside, resolved.hasPrefix(inside.hasSuffix("/") ? inside : inside + "/") else {
                return .rejected(RevisionFileError(path: path, line: nil, reason: "is a symbolic link to \(resolved ?? "?"), outside the versions directory; revision files must be regular files or links that stay inside it (strict_permissions)"))
            }
            if let reason = permissionProblem(mode: target.mode, owner: target.owner) {
                return .rejected(RevisionFileError(path: path, line: nil, reason: "leads to \(resolved), which \(reason)"))
            }
            return VersionsDirectory.readRevisionFile(path, followLinks: true).map(outcome)
        }
        guard probe.type == S_IFREG else { return nil }
        if strictPermissions, let reason = permissionProblem(mode: probe.mode, owner: probe.owner) {
            return .rejected(RevisionFileError(path: path, line: nil, reason: reason))
        }
        return VersionsDirectory.readRevisionFile(path).map(outcome)
    }

    /// `realpath(3)`: the path with every symbolic link resolved, or `nil`.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func outcome(_ result: Result<Revision, RevisionFileError>) -> Outcome {
        switch result {
        case .success(let revision): .revision(revision)
        case .failure(let error): .rejected(error)
        }
    }

    /// Why a file's mode or owner is unsafe, or `nil`.
    static func permissionProblem(mode: UInt32, owner: UInt32) -> String? {
        if mode & UInt32(S_IWGRP | S_IWOTH) != 0 {
            let octal = String(mode & 0o7777, radix: 8)
            return "is writable by \(mode & UInt32(S_IWOTH) != 0 ? "others" : "its group") (mode \(octal)); `chmod go-w` it (strict_permissions)"
        }
        if owner != 0 && owner != geteuid() {
            return "is owned by uid \(owner), neither root nor the service's user (uid \(geteuid())); `chown` it (strict_permissions)"
        }
        return nil
    }
}
