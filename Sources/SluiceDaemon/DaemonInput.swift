import SluiceWatch

/// Everything that can wake the daemon's event loop, merged into one stream so the loop
/// waits in one place and never polls.
enum DaemonInput: Sendable {
    /// A settled batch of changes in the versions directory.
    case batch(WatchBatch)
    /// A timer armed for the next thing that matters (window edge, retry) fired.
    case tick
    /// The watchdog interval passed: the loop proves it is alive by handling this.
    case heartbeat
    /// Some process wrote the database or its journal (the daemon finds out whether the
    /// version rows moved).
    case databaseChanged
    /// SIGHUP: reload the configuration.
    case reload
    /// A standby daemon's wait for the serve lock ended: it now serves the database (or
    /// the wait failed, and it stays in standby).
    case serving(Result<Void, ServeLock.Failure>)
    /// A command from the control socket (`sluice pause`, `resume`, `apply-now`, `retry`).
    case control(ControlCall)
}
