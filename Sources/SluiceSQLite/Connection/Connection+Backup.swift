import CSQLite
import Glibc

extension Connection {
    /// Pages per step of a copy that reports progress (4 MiB at the default page size).
    static let pagesPerStep: Int32 = 1024

    /// Copies this whole database into `destination` with SQLite's online backup API, in
    /// one step, so the copy is one consistent snapshot however the application writes.
    /// Used where holding the application back is intended (`restore` writes the live
    /// database) or does not arise (copies of sluice's own files); copies of the live
    /// database that must not stall the application go through `LiveCopy`.
    /// - Throws: `SQLiteError` with the destination's extended code. A full disk is named
    ///   as such, and when the operating system refused a call (`SQLITE_IOERR`,
    ///   `SQLITE_CANTOPEN`) its reason leads the message, because that, more than SQLite's
    ///   generic text, tells an operator what to fix.
    /// - Parameter progress: told `(pages copied, pages in all)` as the copy goes. With
    ///   it the copy runs in steps of a few megabytes inside one read transaction on this
    ///   connection, so it is still one snapshot: no commit by another process can make
    ///   SQLite restart it, and writers are held back exactly as long as by one step.
    public func copy(into destination: Connection, progress: ((Int, Int) -> Void)? = nil) throws(SQLiteError) {
        let run = try BackupRun(from: self, into: destination)
        if let progress {
            // The read transaction makes the snapshot span every step.
            let snapshot = (try? beginReadSnapshot()) != nil
            defer { if snapshot { try? execute("COMMIT") } }
            while try !run.step(Self.pagesPerStep) {
                progress(run.copiedPages, run.pageCount)
            }
            progress(run.copiedPages, run.pageCount)
        } else {
            _ = try run.step(-1)
        }
        try run.finish()
    }

    /// Starts a read transaction and reads, so this connection holds one snapshot until
    /// `COMMIT`: in WAL mode a snapshot that writers do not wait for; in rollback-journal
    /// mode a shared lock, which they do wait for.
    func beginReadSnapshot() throws(SQLiteError) {
        try execute("BEGIN")
        do { _ = try scalar("SELECT count(*) FROM sqlite_master") } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// One run of SQLite's online backup API, step by step, with each return code checked:
/// `LiveCopy` decides how many pages each step takes and what happens between steps.
final class BackupRun {
    private let backup: OpaquePointer
    private let source: Connection
    private let destination: Connection
    private var finished = false
    /// A step's error, kept for `finish()` to report with the destination's own code.
    private var stepCode: Int32 = SQLITE_OK

    /// Starts copying `source` into `destination` (nothing is read yet).
    /// - Throws: `SQLiteError` when SQLite refuses (the destination in use).
    init(from source: Connection, into destination: Connection) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw destination.lastError(SQLITE_ERROR)
        }
        self.backup = backup
        self.source = source
        self.destination = destination
    }

    /// Pages in the source, as of the last step.
    var pageCount: Int { Int(sqlite3_backup_pagecount(backup)) }
    /// Pages still to copy, as of the last step; it goes up when SQLite started the copy
    /// again because another connection wrote the source.
    var remainingPages: Int { Int(sqlite3_backup_remaining(backup)) }
    /// Pages copied so far.
    var copiedPages: Int { pageCount - remainingPages }

    /// Copies up to `pages` pages (`-1`: all that remain).
    /// - Returns: whether the copy is complete.
    /// - Throws: `SQLiteError` (through `finish()`) for anything but a busy source, which
    ///   is reported as `SQLITE_BUSY` for the caller to try the step again.
    func step(_ pages: Int32) throws(SQLiteError) -> Bool {
        let code = sqlite3_backup_step(backup, pages)
        switch code {
        case SQLITE_OK: return false
        case SQLITE_DONE: return true
        case SQLITE_BUSY, SQLITE_LOCKED: throw SQLiteError(code: code, message: String(cString: sqlite3_errstr(code)))
        default:
            stepCode = code
            try finish()
            return true
        }
    }

    /// Ends the run and reports its outcome.
    /// - Throws: `SQLiteError` with the destination's extended code. A full disk is named
    ///   as such, and an operating system refusal (`SQLITE_IOERR`, `SQLITE_CANTOPEN`) leads
    ///   with its reason.
    func finish() throws(SQLiteError) {
        guard !finished else { return }
        finished = true
        // After an I/O error, finish returns it again and leaves it on the destination.
        let finishCode = sqlite3_backup_finish(backup)
        if stepCode == SQLITE_OK && finishCode == SQLITE_OK { return }
        let code = finishCode != SQLITE_OK ? sqlite3_extended_errcode(destination.handle) : stepCode
        var message = finishCode != SQLITE_OK ? String(cString: sqlite3_errmsg(destination.handle)) : String(cString: sqlite3_errstr(stepCode))
        // SQLite keeps no errno for a full disk (it reports ENOSPC as SQLITE_FULL).
        let systemError = sqlite3_system_errno(destination.handle)
        if code & 0xFF == SQLITE_FULL {
            message = "No space left on device (SQLITE_FULL)"
        } else if [SQLITE_IOERR, SQLITE_CANTOPEN].contains(code & 0xFF), systemError != 0 {
            message = "\(String(cString: strerror(systemError))): \(message)"
        }
        throw SQLiteError(code: code, message: "copying \(source.path) into \(destination.path): \(message)")
    }

    deinit {
        if !finished { sqlite3_backup_finish(backup) }
    }
}
