import Glibc
import SluiceOS

/// Who holds SQLite's own locks on a database, read from `/proc/locks`: when a write
/// cannot start because the database is busy, the operator is told which process
/// (usually the application) holds it, instead of a bare "database is locked".
///
/// SQLite locks byte ranges with POSIX advisory locks: in rollback-journal mode on the
/// database file at offset 2^30 (pending, reserved, shared), in WAL mode on the `-shm`
/// file. A write lock there means an open write transaction or a commit; a read lock, a
/// reader.
public enum SQLiteLockHolders {
    /// One process holding locks.
    struct Holder: Equatable {
        let pid: Int32
        var writes: Bool
    }

    /// A sentence naming the other processes that hold locks on `databasePath` or its
    /// `-shm` file, or `nil` when none can be seen (no `/proc`, or none held).
    public static func describe(databasePath: String) -> String? {
        guard let table = readLocksTable() else { return nil }
        var holders: [Holder] = []
        for path in [databasePath, databasePath + "-shm"] {
            guard let key = fileKey(path) else { continue }
            for holder in parse(table, device: key.device, inode: key.inode, excluding: getpid()) {
                if let index = holders.firstIndex(where: { $0.pid == holder.pid }) {
                    holders[index].writes = holders[index].writes || holder.writes
                } else {
                    holders.append(holder)
                }
            }
        }
        guard !holders.isEmpty else { return nil }
        let named = holders.map { holder in
            let name = commandName(holder.pid).map { " (\($0))" } ?? ""
            return "pid \(holder.pid)\(name) \(holder.writes ? "holds a write lock" : "is reading")"
        }
        return named.joined(separator: ", ")
    }

    /// The POSIX lock holders on one file in the text of `/proc/locks`, for a device as
    /// `major:minor` in hexadecimal (as the kernel prints it) and an inode.
    static func parse(_ table: String, device: (major: UInt, minor: UInt), inode: UInt, excluding ownPID: Int32) -> [Holder] {
        let wanted = String(device.major, radix: 16).leftPadded(to: 2) + ":" + String(device.minor, radix: 16).leftPadded(to: 2) + ":" + String(inode)
        var holders: [Holder] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1:" "POSIX" "ADVISORY" "WRITE" "1234" "08:02:131073" "1073741824" "1073741824"
            guard fields.count >= 6, fields[1] == "POSIX" || fields[1] == "OFDLCK",
                  fields[5] == wanted, let pid = Int32(fields[4]), pid != ownPID, pid > 0 else { continue }
            let writes = fields[3] == "WRITE"
            if let index = holders.firstIndex(where: { $0.pid == pid }) {
                holders[index].writes = holders[index].writes || writes
            } else {
                holders.append(Holder(pid: pid, writes: writes))
            }
        }
        return holders
    }

    private static func readLocksTable() -> String? {
        let fd = open("/proc/locks", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return Syscalls.readToEnd(fd).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func fileKey(_ path: String) -> (device: (major: UInt, minor: UInt), inode: UInt)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let dev = UInt64(info.st_dev)
        // glibc's gnu_dev_major / gnu_dev_minor.
        let major = UInt(((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff)))
        let minor = UInt((dev & 0xff) | ((dev >> 12) & ~UInt64(0xff)))
        return ((major, minor), UInt(info.st_ino))
    }

    private static func commandName(_ pid: Int32) -> String? {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        let name = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first.map(String.init)
        return name?.isEmpty == false ? name : nil
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
