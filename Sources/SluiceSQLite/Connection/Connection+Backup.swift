import CSQLite
import Glibc

extension Connection {
    /// Pages per step of a copy that reports progress (4 MiB at the default page size).
    static let pagesPerStep: Int32 = 1024

    /// Copies this whole database into `destination` with SQLite's online backup API, in
    /// one step, so the copy is one consistent snapshot however the application writes.
    /// - Throws: `SQLiteError` with the destination's extended code. A full disk is named
    ///   as such, and when the operating system refused a call (`SQLITE_IOERR`,
    ///   `SQLITE_CANTOPEN`) its reason leads the message, because that, more than SQLite's
    ///   generic text, tells an operator what to fix.
    /// - Parameter progress: told `(pages copied, pages in all)` as the copy goes. With
    ///   it the copy runs in steps of a few megabytes inside one read transaction on this
    ///   connection, so it is still one snapshot: no commit by another process can make
    ///   SQLite restart it, and writers are held back exactly as long as by one step.
    public func copy(into destination: Connection, progress: ((Int, Int) -> Void)? = nil) throws(SQLiteError) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.lastError(SQLITE_ERROR)
        }
        var stepCode: Int32
        if let progress {
            // The read transaction makes the snapshot span every step.
            let snapshot = (try? execute("BEGIN")) != nil && (try? scalar("SELECT count(*) FROM sqlite_master")) != nil
            defer { if snapshot { try? execute("COMMIT") } }
            repeat {
                stepCode = sqlite3_backup_step(backup, Self.pagesPerStep)
                let total = Int(sqlite3_backup_pagecount(backup))
                progress(total - Int(sqlite3_backup_remaining(backup)), total)
            } while stepCode == SQLITE_OK
        } else {
            stepCode = sqlite3_backup_step(backup, -1)
        }
        // After an I/O error, finish returns it again and leaves it on the destination.
        let finishCode = sqlite3_backup_finish(backup)
        if stepCode == SQLITE_DONE && finishCode == SQLITE_OK { return }
        let code = finishCode != SQLITE_OK ? sqlite3_extended_errcode(destination.handle) : stepCode
        var message = finishCode != SQLITE_OK ? String(cString: sqlite3_errmsg(destination.handle)) : String(cString: sqlite3_errstr(stepCode))
        // SQLite keeps no errno for a full disk (it reports ENOSPC as SQLITE_FULL).
        let systemError = sqlite3_system_errno(destination.handle)
        if code & 0xFF == SQLITE_FULL {
            message = "No space left on device (SQLITE_FULL)"
        } else if [SQLITE_IOERR, SQLITE_CANTOPEN].contains(code & 0xFF), systemError != 0 {
            message = "\(String(cString: strerror(systemError))): \(message)"
        }
        throw SQLiteError(code: code, message: "copying \(path) into \(destination.path): \(message)")
    }
}
