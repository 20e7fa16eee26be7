/// What became of a notification: systemd's own `sd_notify` returns 0 both when the
/// message was sent and when `NOTIFY_SOCKET` is unset, so a `Bool` would hide the
/// difference between "systemd knows" and "nobody is listening".
public enum NotifyResult: Sendable, Equatable {
    /// The datagram left for systemd's notification socket.
    case sent
    /// `NOTIFY_SOCKET` is unset or empty: the process does not run under a service
    /// manager that listens, and every notification is a no-op.
    case notUnderSystemd
    /// The socket could not be reached or the address is unusable; `errno` is the
    /// positive error code (`ENOENT`, `ECONNREFUSED`, `EAFNOSUPPORT`, …).
    case failed(errno: Int32)
}
