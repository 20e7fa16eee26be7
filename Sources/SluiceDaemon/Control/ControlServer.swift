import FoundationEssentials
import Glibc
import Logging
import SluiceOS

/// The control socket: a thread of its own accepts connections, reads one request line
/// from each, checks the caller's credentials, answers refused callers itself and hands
/// the accepted commands to the event loop as `ControlCall`s. Blocks in `accept(2)`
/// while nothing comes: no polling.
final class ControlServer: Sendable {
    /// The socket file.
    let path: String
    /// The accepted commands, in order; finishes after `stop()`.
    let calls: AsyncStream<ControlCall>
    private let continuation: AsyncStream<ControlCall>.Continuation
    private let listener: Int32
    private let access: ControlAccess
    private let logger: Logger

    /// Creates the socket at `path`, `0660`, in the control group.
    init(path: String, access: ControlAccess, logger: Logger) throws(ControlSetupError) {
        switch Syscalls.listenUnixStream(at: path, mode: 0o660, group: gid_t(access.groupID)) {
        case .success(let fd): listener = fd
        case .failure(let error): throw ControlSetupError(message: "cannot create the control socket \(path): \(error.explanation)")
        }
        self.path = path
        self.access = access
        self.logger = logger
        (calls, continuation) = AsyncStream.makeStream(of: ControlCall.self, bufferingPolicy: .unbounded)
    }

    /// Starts accepting.
    func start() {
        DetachedThread.start(name: "sluice-control") { [self] in acceptForever() }
    }

    /// Stops accepting, removes the socket file and finishes the stream.
    func stop() {
        // Wakes the thread blocked in accept(2), which then sees EINVAL and ends.
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    private func acceptForever() {
        while case .success(let connection) = Syscalls.acceptConnection(listener) {
            serve(connection)
        }
        Syscalls.close(listener)
        continuation.finish()
    }

    /// Reads and checks one request; accepted ones go to the loop, which answers them.
    private func serve(_ connection: Int32) {
        Syscalls.setTimeouts(connection, seconds: 5)
        guard case .success(let peer) = Syscalls.peerCredentials(connection) else {
            Syscalls.close(connection)
            return
        }
        let call = ControlCall(request: nil, peer: peer, connection: connection)
        // The request is read before anything is answered, even to a caller about to be
        // refused: closing a socket with unread data resets the connection, and the
        // caller would lose the answer.
        let line = Syscalls.readLine(connection)
        guard access.allows(peer, groups: ControlAccess.supplementaryGroups(of: peer.pid)) else {
            logger.warning("control command refused", metadata: ["event": "control-refused", "caller.uid": "\(peer.uid)", "caller.pid": "\(peer.pid)"])
            call.answer(ControlReply(ok: false, message: access.refusal(peer)))
            return
        }
        guard let line, let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) else {
            call.answer(ControlReply(ok: false, message: "not a sluice control request (one JSON line expected)"))
            return
        }
        continuation.yield(ControlCall(request: request, peer: peer, connection: connection))
    }
}

/// One command from an allowed caller, and the connection its answer goes back on.
struct ControlCall: Sendable {
    /// The command (`nil` only for a call refused before it was read).
    let request: ControlRequest?
    /// Who sent it, as the kernel says.
    let peer: Syscalls.PeerCredentials
    let connection: Int32

    /// Sends `reply` as one JSON line and closes the connection.
    func answer(_ reply: ControlReply) {
        if let data = try? JSONEncoder().encode(reply) {
            Syscalls.sendAll(connection, Array(data) + [10])
        }
        Syscalls.close(connection)
    }
}
