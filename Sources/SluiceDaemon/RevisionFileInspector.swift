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

    private struct Identity: Equatable {
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
    /// directory is missing.
    public func scan(_ directory: String) -> [Entry] {
        guard case .success(let names) = VersionsDirectory.revisionFileNames(in: directory) else { cache.removeAll(); return [] }
        let root = Self.realPath(directory)
        var seen = Set<String>()
        var entries: [Entry] = []
        entries.reserveCapacity(names.count)
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let outcome = inspect(path, root: root) else { continue }
            seen.insert(path)
            entries.append(Entry(name: name, path: path, outcome: outcome))
        }
        cache = cache.filter { seen.contains($0.key) }
        return entries
    }

    /// Inspects one file; `nil` for a sub-folder or anything else that is not a file.
    /// - Parameter root: the versions directory with every symbolic link resolved; with
    ///   `strictPermissions`, a symbolic link is accepted only when it leads to a regular
    ///   file inside it (Kubernetes' ConfigMap layout: `name.sql -> ..data/name.sql`),
    ///   and that file must pass the mode and owner checks itself. `nil`: the file's own
    ///   directory.
    public func inspect(_ path: String, root: String? = nil) -> Outcome? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var identity = Identity(info)
        let type = info.st_mode & S_IFMT
        var target = stat()
        let targetExists = type == S_IFLNK && stat(path, &target) == 0
        if targetExists {
            let followed = Identity(target)
            identity.target = [Int(followed.device), Int(followed.inode), followed.size, followed.modified, followed.changed, Int(followed.mode), Int(followed.owner)]
        }
        if let (cached, outcome) = cache[path], cached == identity { return outcome }
        var outcome: Outcome
        if type == S_IFLNK {
            guard targetExists, target.st_mode & S_IFMT == S_IFREG else { return nil }
            if strictPermissions {
                let inside = root ?? Self.realPath(PathText.parent(of: path))
                let resolved = Self.realPath(path)
                if let resolved, let inside, resolved.hasPrefix(inside.hasSuffix("/") ? inside : inside + "/") {
                    if let reason = Self.permissionProblem(mode: target.st_mode, owner: target.st_uid) {
                        outcome = .rejected(RevisionFileError(path: path, line: nil, reason: "leads to \(resolved), which \(reason)"))
                    } else {
                        guard let followed = VersionsDirectory.readRevisionFile(path, followLinks: true) else { return nil }
                        outcome = Self.outcome(followed)
                    }
                } else {
                    outcome = .rejected(RevisionFileError(path: path, line: nil, reason: "is a symbolic link to \(resolved ?? "?"), outside the versions directory; revision files must be regular files or links that stay inside it (strict_permissions)"))
                }
            } else {
                guard let followed = VersionsDirectory.readRevisionFile(path, followLinks: true) else { return nil }
                outcome = Self.outcome(followed)
            }
        } else if type != S_IFREG {
            return nil
        } else if let reason = strictPermissions ? Self.permissionProblem(mode: info.st_mode, owner: info.st_uid) : nil {
            outcome = .rejected(RevisionFileError(path: path, line: nil, reason: reason))
        } else {
            guard let read = VersionsDirectory.readRevisionFile(path) else { return nil }
            outcome = Self.outcome(read)
        }
        cache[path] = (identity, outcome)
        return outcome
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
