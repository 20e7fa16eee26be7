/// `[control]`: the control socket `sluice pause`, `resume`, `apply-now` and `retry`
/// reach the running daemon through.
public struct ControlSettings: Sendable, Equatable {
    /// The socket's path, absolute; `nil`: `control.sock` in systemd's runtime directory
    /// (`$RUNTIME_DIRECTORY`) when the daemon has one, else beside the database
    /// (`<database>.sluice-control.sock`).
    public var socket: String?
    /// The group whose members may send commands, besides root and the daemon's own
    /// user; `nil`: the daemon's own group (the service's `Group=`).
    public var group: String?

    /// The defaults.
    public init(socket: String? = nil, group: String? = nil) {
        self.socket = socket
        self.group = group
    }
}
