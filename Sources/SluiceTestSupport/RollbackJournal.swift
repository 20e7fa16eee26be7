import Glibc

/// A database's rollback journal as SQLite writes it, for tests that must kill a writer
/// at the moment its journal becomes *hot*: SQLite writes the journal header's magic
/// number only when it syncs the journal just before it first overwrites the database
/// file, so a journal still zero at its start is one SQLite ignores.
public enum RollbackJournal {
    /// The journal's magic number (pager.c, `aJournalMagic`).
    static let magic: [UInt8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]

    /// Whether `<database>-journal` exists and starts with the magic number, so that the
    /// database file may already hold part of the transaction.
    public static func hasHeader(_ database: String) -> Bool {
        let fd = open(database + "-journal", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        return pread(fd, &bytes, 8, 0) == 8 && bytes == magic
    }
}
