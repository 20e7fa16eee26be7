import Glibc
import SluiceOS

/// Reads the rows of the version table straight from the database file, without SQLite:
/// opening a database through SQLite parses its whole schema first, which for a schema
/// of a thousand tables costs ten times more than everything else a no-op upgrade does.
///
/// It is exact or it declines. It only answers when the schema has not changed since
/// `Location` was taken through SQLite (the schema cookie guarantees the table's root page
/// is still the same), the database is in rollback-journal mode with no journal beside
/// it, the table fits on its root page, and it can take SQLite's own shared lock (so no
/// writer is halfway through a commit while the page is read). Anything else returns
/// `nil`, and the caller asks SQLite.
public enum VersionTablePeek {
    /// Where the version table lives in the file, as SQLite reported it.
    public struct Location: Equatable, Sendable {
        /// The table's root page number.
        public let rootPage: Int
        /// The schema cookie (header offset 40) at the time; any schema change bumps it.
        public let schemaCookie: UInt32

        /// A location as recorded earlier.
        public init(rootPage: Int, schemaCookie: UInt32) {
            self.rootPage = rootPage
            self.schemaCookie = schemaCookie
        }
    }

    /// The table's location through SQLite, or `nil` when the table does not exist.
    public static func locate(_ table: VersionTable, in connection: Connection) throws(SQLiteError) -> Location? {
        guard let root = try connection.scalar("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?",
                                               [.text(table.name)])?.integer,
              let cookie = try connection.scalar("PRAGMA schema_version")?.integer else { return nil }
        return Location(rootPage: Int(root), schemaCookie: UInt32(truncatingIfNeeded: cookie))
    }

    /// The version table's rows (sorted as `VersionTable.heads` sorts them), or `nil`
    /// when they cannot be read exactly this way.
    ///
    /// - Important: Call it only while this process has no SQLite connection to the
    ///   database: closing a descriptor drops every POSIX lock the process holds on the
    ///   file, SQLite's included.
    public static func heads(databasePath: String, at location: Location) -> [String]? {
        guard access(databasePath + "-journal", F_OK) != 0, errno == ENOENT else { return nil }
        let fd = open(databasePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }  // also drops the shared lock
        guard takeSharedLock(fd) else { return nil }
        // A writer may have committed between the journal check and the lock.
        guard access(databasePath + "-journal", F_OK) != 0, errno == ENOENT else { return nil }
        guard let header = read(fd, offset: 0, count: 100), header.starts(with: Array("SQLite format 3\0".utf8)),
              header[18] == 1, header[19] == 1,                         // rollback journal, not WAL
              bigEndian(header[40..<44]) == location.schemaCookie,
              bigEndian(header[56..<60]) == 1 else { return nil }      // UTF-8 text
        let rawPageSize = Int(bigEndian(header[16..<18]))
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        let usable = pageSize - Int(header[20])
        guard pageSize >= 512, location.rootPage > 1,
              let page = read(fd, offset: (location.rootPage - 1) * pageSize, count: pageSize) else { return nil }
        return leafRows(page, usable: usable)?.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// SQLite's SHARED lock, taken the way its Unix VFS takes it: a read lock on the
    /// pending byte (refused while a writer waits for exclusive access), then on the
    /// shared range, then the pending byte let go.
    private static func takeSharedLock(_ fd: Int32) -> Bool {
        let pendingByte = 0x4000_0000
        let sharedFirst = pendingByte + 2
        let sharedSize = 510
        guard lockRange(fd, type: F_RDLCK, start: pendingByte, length: 1) else { return false }
        let shared = lockRange(fd, type: F_RDLCK, start: sharedFirst, length: sharedSize)
        _ = lockRange(fd, type: F_UNLCK, start: pendingByte, length: 1)
        return shared
    }

    private static func lockRange(_ fd: Int32, type: Int32, start: Int, length: Int) -> Bool {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(start)
        lock.l_len = off_t(length)
        return fcntl(fd, F_SETLK, &lock) == 0
    }

    /// The first column, as text, of every row on a table b-tree leaf page; `nil` for any
    /// other page kind, an overflowing row or a value that is not text.
    static func leafRows(_ page: [UInt8], usable: Int) -> [String]? {
        guard page.count >= 8, page[0] == 0x0D else { return nil }
        let cellCount = Int(bigEndian(page[3..<5]))
        var rows: [String] = []
        for cell in 0..<cellCount {
            let pointer = 8 + 2 * cell
            guard pointer + 2 <= page.count else { return nil }
            var index = Int(bigEndian(page[pointer..<pointer + 2]))
            guard let payloadSize = varint(page, &index), varint(page, &index) != nil,
                  payloadSize <= usable - 35, index + payloadSize <= page.count else { return nil }
            let payload = Array(page[index..<index + payloadSize])
            var cursor = 0
            guard let headerSize = varint(payload, &cursor), let serialType = varint(payload, &cursor),
                  serialType >= 13, serialType % 2 == 1 else { return nil }
            let length = (serialType - 13) / 2
            guard headerSize <= payload.count, headerSize + length <= payload.count else { return nil }
            rows.append(String(decoding: payload[headerSize..<headerSize + length], as: UTF8.self))
        }
        return rows
    }

    /// SQLite's variable-length integer (1–9 bytes, big-endian groups of seven bits; the
    /// ninth byte contributes all eight).
    static func varint(_ bytes: [UInt8], _ index: inout Int) -> Int? {
        var value: UInt64 = 0
        for position in 0..<9 {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            if position == 8 {
                value = value << 8 | UInt64(byte)
                break
            }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { break }
        }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }

    private static func read(_ fd: Int32, offset: Int, count: Int) -> [UInt8]? {
        guard let bytes = Syscalls.readBytes(fd, count: count, offset: offset), bytes.count == count else { return nil }
        return bytes
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
