import Glibc

/// libsystemd, loaded the first time a journal entry is sent rather than linked, so that
/// the CLI commands (which never write to the journal) do not pay for loading it and the
/// six libraries it pulls in at every start, and so that building sluice needs no
/// libsystemd headers. Only `sd_journal_sendv` is used: sd_notify and the watchdog
/// variables are spoken directly (`Notifier`, `WatchdogSettings`).
enum SystemdLibrary {
    /// `int sd_journal_sendv(const struct iovec *iov, int n)`.
    typealias JournalSendv = @convention(c) (UnsafePointer<iovec>?, Int32) -> Int32

    /// The soname Debian's libsystemd0 installs.
    static let soname = "libsystemd.so.0"

    /// `sd_journal_sendv` from libsystemd, or `nil` when the library is not installed
    /// (a host without systemd has no journal either). Looked up once.
    static let journalSendv: JournalSendv? = {
        guard let handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL),
              let symbol = dlsym(handle, "sd_journal_sendv") else { return nil }
        return unsafeBitCast(symbol, to: JournalSendv.self)
    }()
}
