import FoundationEssentials
import Glibc
import SluiceDaemon
import SluiceOS

/// Sends one command to the running daemon over its control socket: the socket's path
/// comes from the daemon's live state file, the answer is one JSON line.
enum ControlClient {
    /// Sends `request` to the daemon serving `workspace`'s database and returns its answer.
    /// - Throws: `CLIError` when no daemon is running, the socket refuses this user, or the
    ///   daemon does not answer.
    static func send(_ request: ControlRequest, workspace: Workspace) throws -> ControlReply {
        let settings = DaemonSettings(configuration: workspace.configuration, databasePath: workspace.databasePath, versionsPath: workspace.versionsPath)
        var info = stat()
        if stat(settings.stateFilePath, &info) != 0, errno == EACCES || errno == EPERM {
            throw CLIError.failed("\(settings.stateFilePath): permission denied: only root, the daemon's user and members of its control group may send commands (`[control] group`, docs/daemon.md)")
        }
        guard let state = try? StateFile(path: settings.stateFilePath).read(), StateFile.isAlive(state) else {
            throw CLIError.failed("no running sluice serve for \(workspace.databasePath) (no live state file at \(settings.stateFilePath)); commands go to a running daemon")
        }
        guard let socket = state.controlSocket else {
            throw CLIError.failed("the daemon (pid \(state.pid)) has no control socket open (in standby, or it could not create it: see its log)")
        }
        let fd: Int32
        switch Syscalls.connectUnixStream(to: socket) {
        case .success(let connected): fd = connected
        case .failure(let error) where error == .permissionDenied:
            throw CLIError.failed("\(socket): permission denied: only root, the daemon's user and members of its control group may send commands (`[control] group`, docs/daemon.md)")
        case .failure(let error):
            throw CLIError.failed("cannot reach the daemon at \(socket): \(error.explanation)")
        }
        defer { Syscalls.close(fd) }
        Syscalls.setTimeouts(fd, seconds: 30)
        let line = Array(try JSONEncoder().encode(request)) + [10]
        guard Syscalls.sendAll(fd, line), let answer = Syscalls.readLine(fd),
              let reply = try? JSONDecoder().decode(ControlReply.self, from: Data(answer)) else {
            throw CLIError.failed("the daemon at \(socket) did not answer")
        }
        return reply
    }

    /// Sends `request`, prints the answer, and fails (exit 1) when the daemon did not
    /// carry the command out.
    static func run(_ request: ControlRequest, common: CommonOptions) throws {
        let reply = try send(request, workspace: try Workspace(common))
        guard reply.ok else { throw CLIError.failed(reply.message) }
        print(reply.message)
    }
}
