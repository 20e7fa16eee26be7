import Glibc
import SluiceCore
import SluiceOS
import SluiceSQLite

/// The shortcut for the commonest deploy hook: `upgrade head` on a database already at
/// head. Deciding that needs the graph's heads (every revision file parsed) and the
/// database's version rows (SQLite parsing the whole schema); both are remembered here,
/// in a small file under the user's cache directory, together with what makes them still
/// true: the versions directory's `VersionsFingerprint` and the version table's
/// `VersionTablePeek.Location`.
///
/// A hit costs one `stat` of the directory, one `stat` per file and one page read (the
/// directory is not even listed: see `VersionsFingerprint.stillDescribes`). Any doubt —
/// a file touched, added or removed, the schema changed, WAL mode, a journal, a lock, a
/// cache that does not parse — is a miss, and the command runs the ordinary way, which
/// writes the cache again once the files have been still for a few seconds.
struct AtHeadCache: Equatable {
    let versionsPath: String
    let databasePath: String
    let tableName: String
    let location: VersionTablePeek.Location
    let graphHeads: [String]
    let fingerprint: VersionsFingerprint

    /// `SLUICE_NO_CACHE=1` turns the shortcut off.
    static var isEnabled: Bool {
        guard let value = getenv("SLUICE_NO_CACHE") else { return true }
        return String(cString: value).isEmpty || String(cString: value) == "0"
    }

    /// `$XDG_CACHE_HOME/sluice`, else `$HOME/.cache/sluice`; `nil` when neither is set.
    static var directory: String? {
        if let xdg = getenv("XDG_CACHE_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/sluice" }
        if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) + "/.cache/sluice" }
        return nil
    }

    /// The cache file for one versions directory, database and version table.
    static func path(versions: String, database: String, table: String) -> String? {
        guard let directory else { return nil }
        let digest = SHA256Digest.hash(Array("\(versions)\0\(database)\0\(table)".utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in digest.prefix(12) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return "\(directory)/at-head-\(String(decoding: hex, as: UTF8.self))"
    }

    /// With `SLUICE_TRACE_CACHE=1`, one line on stderr says whether the shortcut was
    /// taken, for an operator wondering why a deploy hook is slow (and for the tests).
    static func trace(_ message: @autoclosure () -> String) {
        guard let value = getenv("SLUICE_TRACE_CACHE"), String(cString: value) == "1" else { return }
        Output.error("at-head cache: \(message())")
    }

    /// What the cache says about `upgrade <target>`.
    enum Answer {
        /// Nothing to do: the database's version rows.
        case atTarget([String])
        /// Go the ordinary way; `fingerprint` is the versions directory as it was before
        /// any file is read, for `record` afterwards (`nil` when nothing will be recorded).
        case ordinary(fingerprint: VersionsFingerprint?)
    }

    /// Answers from the cache when it can. A stored fingerprint is checked against the
    /// disk in place; only when there is none, or it no longer holds, is the directory
    /// fingerprinted afresh, and a miss hands that fingerprint on, so the ordinary way
    /// does not list and stat every file a second time.
    static func consult(_ target: String, workspace: Workspace) -> Answer {
        guard isEnabled, target == "head" || target == "heads" else {
            trace("miss")
            return .ordinary(fingerprint: nil)
        }
        func miss() -> Answer {
            trace("miss")
            return .ordinary(fingerprint: VersionsFingerprint.take(workspace.versionsPath))
        }
        guard let path = path(versions: workspace.versionsPath, database: workspace.databasePath, table: workspace.versionTable.name),
              let cache = read(path), cache.versionsPath == workspace.versionsPath,
              cache.databasePath == workspace.databasePath, cache.tableName == workspace.versionTable.name,
              cache.fingerprint.stillDescribes(workspace.versionsPath),
              let current = VersionTablePeek.heads(databasePath: workspace.databasePath, at: cache.location)
        else { return miss() }
        let atTarget = target == "head"
            ? cache.graphHeads.count == 1 && current == cache.graphHeads
            : current.count == cache.graphHeads.count && Set(current) == Set(cache.graphHeads)
        guard atTarget else { return miss() }
        trace("hit")
        return .atTarget(current)
    }

    /// Remembers `graphHeads` for the files as `fingerprint` saw them before they were
    /// read, and where the version table is; skipped while any file is younger than the
    /// file-time granularity margin. Failures to write are ignored: it is only a cache.
    static func record(workspace: Workspace, fingerprint: VersionsFingerprint, graphHeads: [String], connection: Connection) {
        guard fingerprint.isSettled(now: VersionsFingerprint.wallClockNanoseconds()),
              let path = path(versions: workspace.versionsPath, database: workspace.databasePath, table: workspace.versionTable.name),
              (try? connection.scalar("PRAGMA journal_mode"))??.text != "wal",  // WAL: never a hit, so never written
              let location = try? VersionTablePeek.locate(workspace.versionTable, in: connection) else { return }
        let cache = AtHeadCache(versionsPath: workspace.versionsPath, databasePath: workspace.databasePath,
                                tableName: workspace.versionTable.name, location: location,
                                graphHeads: graphHeads, fingerprint: fingerprint)
        guard let encoded = cache.encoded else { return }
        write(encoded, to: path)
        trace("recorded \(path)")
    }

    private static let magic = "sluice at-head cache 3"

    /// The file's bytes: five text lines, then `fingerprint <length>` and the
    /// fingerprint's own bytes; `nil` when a value holds a tab or newline.
    var encoded: [UInt8]? {
        let values = [versionsPath, databasePath, tableName] + graphHeads
        guard !values.contains(where: { $0.contains("\t") || $0.contains("\n") }) else { return nil }
        let lines = [Self.magic, "versions\t\(versionsPath)", "database\t\(databasePath)",
                     "table\t\(tableName)\t\(location.rootPage)\t\(location.schemaCookie)",
                     (["heads"] + graphHeads).joined(separator: "\t"),
                     "fingerprint\t\(fingerprint.bytes.count)"]
        return Array((lines.joined(separator: "\n") + "\n").utf8) + fingerprint.bytes
    }

    /// Parses the file's bytes; `nil` for anything unexpected.
    static func parse(_ bytes: [UInt8]) -> AtHeadCache? {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while lines.count < 6, let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(bytes[start..<end])
            start = end + 1
        }
        guard lines.count == 6, String(decoding: lines[0], as: UTF8.self) == magic else { return nil }
        func fields(_ index: Int, _ key: String) -> [String]? {
            let parts = lines[index].split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            return parts.first == key ? Array(parts.dropFirst()) : nil
        }
        guard let versions = fields(1, "versions"), versions.count == 1,
              let database = fields(2, "database"), database.count == 1,
              let table = fields(3, "table"), table.count == 3, let root = Int(table[1]), let cookie = UInt32(table[2]),
              let heads = fields(4, "heads"),
              let length = fields(5, "fingerprint"), length.count == 1, Int(length[0]) == bytes.count - start
        else { return nil }
        return AtHeadCache(versionsPath: versions[0], databasePath: database[0], tableName: table[0],
                           location: .init(rootPage: root, schemaCookie: cookie), graphHeads: heads,
                           fingerprint: VersionsFingerprint(bytes: Array(bytes[start...])))
    }

    /// The cache file, read with one `read` call into a buffer of its size.
    private static func read(_ path: String) -> AtHeadCache? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0, status.st_size <= 16 << 20 else { return nil }
        let size = Int(status.st_size)
        guard let bytes = Syscalls.readBytes(fd, count: size), bytes.count == size else { return nil }
        return parse(bytes)
    }

    /// Writes `bytes` whole or not at all: a temporary file renamed over the old one.
    private static func write(_ bytes: [UInt8], to path: String) {
        let directory = PathText.parent(of: path)
        if access(directory, F_OK) != 0 {
            _ = mkdir(PathText.parent(of: directory), 0o700)
            _ = mkdir(directory, 0o700)
        }
        // A cache: a lost write only costs the next lookup a miss, so no fsync.
        try? AtomicFile.write(bytes, to: path, mode: 0o600, durable: false)
    }
}
