import CSQLite
import FoundationEssentials
import SluiceCore
import Glibc
import SluiceOS

/// Online backups taken before the daemon applies anything: the live database (the
/// application may keep using it) is copied into the backup directory by `LiveCopy`, so
/// the application's writes are held back no longer than `limits` allow, readable only by
/// the owner, and only the newest `keep` are kept.
public struct BackupStore: Sendable {
    /// A backup that could not be taken; the revisions it was for must not run.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        /// `true` when sluice chose not to copy (too little free space, or a copy that
        /// would hold the application back too long): nothing failed, the apply waits.
        public let held: Bool
        public var description: String { held ? "backup \(path) not taken: \(reason)" : "backup \(path) failed: \(reason)" }

        /// Creates a failure for `path`.
        public init(path: String, reason: String, held: Bool = false) {
            self.path = path
            self.reason = reason
            self.held = held
        }
    }

    /// Where backups go.
    public let directory: String
    /// How many to keep.
    public let keep: Int
    /// The database's file name without extension, the prefix of every backup's name.
    public let prefix: String
    /// How far a backup may get in the application's way.
    public let limits: CopyLimits

    /// Where backups go when the configuration names no directory: `backups/` beside
    /// the database.
    public static func defaultDirectory(forDatabase database: String) -> String {
        PathText.join(PathText.parent(of: database), "backups")
    }

    /// `backups.max_total`: the most bytes all backups in `directory` may take together
    /// (every database's, when several share it, as a fleet's members do); `nil` for no
    /// bound. Past it the oldest go first, whoever's they are; the one just taken stays.
    public var maxTotal: Int64?

    /// Creates a store for backups of `database`.
    public init(directory: String, keep: Int, database: String, limits: CopyLimits = CopyLimits(), maxTotal: Int64? = nil) {
        self.directory = directory
        self.maxTotal = maxTotal
        self.keep = max(1, keep)
        self.limits = limits
        prefix = PathText.deletingExtension(of: PathText.lastComponent(of: database))
    }

    /// The file name for a backup taken at `date` before `revisions`:
    /// `app-20261125T120900.123Z-before-ae1027a6acf0+2.db`.
    public func fileName(at date: Date, before revisions: [String]) -> String {
        let stamp = String(Timestamp.iso8601(date).filter { $0 != "-" && $0 != ":" })
        let what = revisions.first.map { revisions.count > 1 ? "\($0)+\(revisions.count - 1)" : $0 } ?? "none"
        return "\(prefix)-\(stamp)-before-\(what).db"
    }

    /// Copies `source` into a new backup file and, unless told not to, prunes old ones.
    /// The copy is written under a `.partial` name and renamed only once it is complete
    /// and on disk, so a file named like a backup is always a whole one. Copies left
    /// unfinished by a killed process are not swept here: the CLI takes backups too (before
    /// `Transaction: none` revisions, and in `restore`), and one of them could be the
    /// daemon's copy in progress; the serving daemon sweeps them when it starts.
    /// - Parameter prune: `false` when the backup being restored must not be pruned away.
    /// - Returns: the backup's path.
    /// - Throws: `Failure` (disk full, permissions, …); the partial file and its journal
    ///   are removed, so a failed backup leaves nothing behind.
    public func backup(_ source: Connection, before revisions: [String], at date: Date = Date(), prune: Bool = true) throws(Failure) -> String {
        try take(source, before: revisions, at: date, prune: prune).path
    }

    /// A backup taken: where, how large, how long it took (until it was on disk under its
    /// name; pruning after it is not counted), how it was copied, and what pruning removed.
    public struct Taken: Sendable {
        public let path: String
        public let bytes: Int64
        public let duration: Duration
        /// How the copy was made and what the application could feel.
        public let copy: LiveCopy.Report
        /// Backups removed to keep `keep`, with their sizes.
        public let pruned: [(path: String, bytes: Int64)]
    }

    /// `backup(_:before:at:prune:)` with what the log reports, and progress as
    /// `(pages copied, pages in all)`.
    public func take(_ source: Connection, before revisions: [String], at date: Date = Date(), prune: Bool = true,
                     progress: ((Int, Int) -> Void)? = nil) throws(Failure) -> Taken {
        let clock = ContinuousClock()
        let start = clock.now
        let path = PathText.join(directory, fileName(at: date, before: revisions))
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(path: path, reason: "cannot create \(directory): \(SystemErrorText.describe(error))")
        }
        if let shortfall = Self.shortOfSpace(for: source, in: directory) {
            throw Failure(path: path, reason: shortfall, held: true)
        }
        let temporary = path + Self.unfinishedSuffix
        let previousMask = umask(0o077)
        defer { umask(previousMask) }
        let report: LiveCopy.Report
        do {
            report = try Self.copy(source, into: temporary, limits: limits, progress: progress)
        } catch let refusal as CopyRefusal {
            Self.removeCopy(temporary)
            throw Failure(path: path, reason: "\(refusal)", held: true)
        } catch {
            Self.removeCopy(temporary)
            throw Failure(path: path, reason: "\(error)")
        }
        chmod(temporary, 0o600)
        var problem = Self.flush(temporary)
        if problem == nil, rename(temporary, path) != 0 {
            problem = "cannot rename \(temporary): \(String(cString: strerror(errno)))"
        }
        if let problem {
            Self.removeCopy(temporary)
            throw Failure(path: path, reason: problem)
        }
        _ = Self.flush(directory)
        // The backup's time is the copy's: removing old backups (a gigabyte of shared
        // extents, after a clone) is not part of it.
        let duration = clock.now - start
        let pruned = prune ? self.prune(keeping: path) : []
        return Taken(path: path, bytes: Self.size(of: path), duration: duration, copy: report, pruned: pruned)
    }

    /// The size of a file in bytes, 0 when it cannot be read.
    public static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// The suffix of a copy being written; such a file is never a backup.
    public static let unfinishedSuffix = ".partial"

    /// Removes copies that were never finished (their writer was killed or the machine
    /// stopped), with their journals. Called by the daemon that serves the database when
    /// it starts or takes over, before it writes any backup of its own.
    /// - Returns: the paths removed.
    @discardableResult
    public func removeUnfinished() -> [String] {
        let names = (try? DirectoryListing.names(in: directory).get()) ?? []
        let unfinished = names.filter { $0.hasPrefix(prefix + "-") && $0.contains("-before-") && $0.contains(".db" + Self.unfinishedSuffix) }
        var removed: [String] = []
        for name in unfinished.sorted() {
            let path = PathText.join(directory, name)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Copies `source` into a new database file at `path`, in rollback-journal mode so
    /// the backup is one self-contained file.
    private static func copy(_ source: Connection, into path: String, limits: CopyLimits, progress: ((Int, Int) -> Void)?) throws -> LiveCopy.Report {
        let report = try LiveCopy.toFile(source, path: path, limits: limits, progress: progress)
        if report.method != .clone {
            let destination = try Connection(path: path, mode: .readWriteExisting)
            try destination.execute("PRAGMA journal_mode = DELETE")
        }
        return report
    }

    /// The room a backup needs beyond its own size: a tenth of it, at least 1 MiB, so
    /// the file system is not left full for the application and the apply's journal.
    public static func margin(for bytes: Int64) -> Int64 { max(1 << 20, bytes / 10) }

    /// Why the backup directory's file system cannot hold a copy of `source` (its pages,
    /// and the WAL, which a copy may hold too) plus the margin; `nil` when it can. A clone
    /// takes little space at first but as much in the end, as the application rewrites
    /// its pages, so the full size is asked for whatever the method.
    static func shortOfSpace(for source: Connection, in directory: String) -> String? {
        let pages = (try? source.scalar("PRAGMA page_count")?.integer) ?? 0
        let pageSize = (try? source.scalar("PRAGMA page_size")?.integer) ?? 4096
        let bytes = pages * pageSize + size(of: source.path + "-wal")
        guard case .success(let free) = FreeSpace.available(at: directory) else { return nil }
        let needed = bytes + margin(for: bytes)
        guard free < needed else { return nil }
        return "not enough free space in \(directory): \(ByteCountText.text(free)) free, a backup of \(ByteCountText.text(bytes)) needs \(ByteCountText.text(needed)) with its margin; nothing is applied until there is room (free space there, or set backups.directory to a larger file system)"
    }

    /// Removes a copy and any journal SQLite left beside it.
    private static func removeCopy(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
    }

    /// `fsync(2)` of a file or directory; the reason when it fails.
    private static func flush(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "cannot open \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        return fsync(fd) == 0 ? nil : "cannot sync \(path): \(String(cString: strerror(errno)))"
    }

    /// The backups of this database, oldest first.
    public func list() -> [String] {
        let names = (try? DirectoryListing.names(in: directory).get()) ?? []
        return names.filter { $0.hasPrefix(prefix + "-") && $0.hasSuffix(".db") && $0.contains("-before-") }.sorted()
            .map { PathText.join(directory, $0) }
    }

    /// How many backups of this database there are and their total size, for the metrics.
    public func footprint() -> (count: Int, bytes: Int64) {
        let all = list()
        return (all.count, all.reduce(0) { $0 + Self.size(of: $1) })
    }

    /// Removes all but the newest `keep` backups of this database, then, with `maxTotal`,
    /// the oldest backups in the directory (of any database) until the rest fit in it;
    /// `keeping` (the backup just taken) is never removed.
    /// - Returns: what was removed, with sizes.
    @discardableResult
    func prune(keeping: String? = nil) -> [(path: String, bytes: Int64)] {
        var removed: [(String, Int64)] = []
        func remove(_ path: String, _ bytes: Int64) -> Bool {
            guard path != keeping, unlink(path) == 0 else { return false }
            removed.append((path, bytes))
            return true
        }
        let own = list()
        if own.count > keep {
            for path in own.prefix(own.count - keep) { _ = remove(path, Self.size(of: path)) }
        }
        guard let maxTotal else { return removed }
        var everyone = Self.allBackups(in: directory).map { (path: $0.path, bytes: Self.size(of: $0.path), stamp: $0.stamp) }
        everyone.sort { ($0.stamp, $0.path) < ($1.stamp, $1.path) }
        var total = everyone.reduce(Int64(0)) { $0 + $1.bytes }
        for backup in everyone where total > maxTotal {
            if remove(backup.path, backup.bytes) { total -= backup.bytes }
        }
        return removed
    }

    /// Every backup in `directory`, of any database (`<name>-<stamp>-before-<what>.db`),
    /// with its time stamp, which orders them oldest first across databases.
    static func allBackups(in directory: String) -> [(path: String, stamp: String)] {
        let names = (try? DirectoryListing.names(in: directory).get()) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".db"), let before = name.firstRange(of: "-before-") else { return nil }
            let head = name[..<before.lowerBound]
            guard let dash = head.lastIndex(of: "-") else { return nil }
            return (PathText.join(directory, name), String(head[head.index(after: dash)...]))
        }
    }
}
