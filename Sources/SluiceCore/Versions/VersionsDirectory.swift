import FoundationEssentials
import Glibc
import SluiceOS

/// The revision files of a versions directory, parsed, with the files that could not be.
public struct LoadedVersions: Sendable {
    /// Every file that parsed.
    public var revisions: [Revision]
    /// Every file that did not, with file, line and reason.
    public var errors: [RevisionFileError]

    /// A set of loaded files (empty for a directory that does not exist yet).
    public init(revisions: [Revision] = [], errors: [RevisionFileError] = []) {
        self.revisions = revisions
        self.errors = errors
    }
}

/// Reads `migrations/versions`: every `*.sql` file that is not hidden; editor swap and
/// backup files, dotfiles, other names and sub-folders are ignored.
public enum VersionsDirectory {
    /// Whether a directory entry's name is a revision file.
    public static func isRevisionFileName(_ name: String) -> Bool {
        RevisionFileName.isCandidate(name)
    }

    /// The directory could not be listed.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot read the versions directory \(path): \(reason)" }
    }

    /// The names of the revision files in `directory`, sorted: the one listing of the
    /// versions directory, which `sluice` commands and the daemon's scans share.
    public static func revisionFileNames(in directory: String) -> Result<[String], Errno> {
        DirectoryListing.names(in: directory).map { $0.filter(isRevisionFileName).sorted() }
    }

    /// Lists and parses the revision files of `directory`, sorted by file name.
    /// - Throws: `Unreadable` when the directory itself cannot be read.
    public static func load(_ directory: String) throws(Unreadable) -> LoadedVersions {
        let names: [String]
        switch revisionFileNames(in: directory) {
        case .success(let found):
            names = found
        case .failure(let error):
            throw Unreadable(path: directory, reason: error == .noSuchFileOrDirectory ? "it does not exist; create it or point --versions at the right place" : "\(error)")
        }
        let paths = names.map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
        let read = eachFile(paths) { readRevisionFile($0, followLinks: true) }
        var result = LoadedVersions(revisions: [], errors: [])
        for outcome in read {
            switch outcome {
            case .success(let revision): result.revisions.append(revision)
            case .failure(let error): result.errors.append(error)
            case .none: continue
            }
        }
        return result
    }

    /// `body` applied to one item per revision file, in their order: on every core when
    /// there are hundreds or more (a start on thousands of revision files is mostly
    /// reading and parsing them), on this thread when there are few, where threads would
    /// cost more than they save. The commands' `load` and the daemon's scan share it.
    public static func eachFile<Item: Sendable, Value: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) -> Value) -> [Value] {
        ThreadGroup.map(items, threads: items.count >= 256 ? ThreadGroup.onlineCores : 1, name: "sluice-read", chunk: 64, body)
    }

    /// Reads and parses one file; `nil` for something that is not a regular file (a
    /// sub-folder named `*.sql`). The size is checked before reading, so a huge file is
    /// never read into memory.
    public static func readRevisionFile(_ path: String, followLinks: Bool = false) -> Result<Revision, RevisionFileError>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                return .failure(RevisionFileError(path: path, line: nil, reason: "is a symbolic link; revision files must be regular files"))
            }
            return .failure(RevisionFileError(path: path, line: nil, reason: "cannot be opened: \(String(cString: strerror(code)))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(RevisionFileError(path: path, line: nil, reason: "cannot be read: \(String(cString: strerror(errno)))"))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        if Int(info.st_size) > RevisionFileParser.maximumSize {
            return .failure(RevisionFileError(path: path, line: nil, reason: "file is \(info.st_size) bytes, over the 16 MiB limit for a revision; split it"))
        }
        guard let bytes = Syscalls.readBytes(fd, count: Int(info.st_size)) else {
            return .failure(RevisionFileError(path: path, line: nil, reason: "cannot be read: \(Errno.last)"))
        }
        do {
            return .success(try RevisionFileParser.parse(bytes, path: path))
        } catch {
            return .failure(error)
        }
    }
}
