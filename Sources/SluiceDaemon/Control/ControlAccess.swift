import FoundationEssentials
import Glibc
import SluiceOS

/// Who may send commands over the control socket: root, the daemon's own user, and
/// members of the control group (its primary group or a supplementary one). The socket
/// file is `0660`, owned by the daemon's user and the control group, so nobody else can
/// even connect; this check, on the kernel's credentials of the caller (`SO_PEERCRED`),
/// holds even if the file's mode is loosened by hand.
struct ControlAccess: Sendable {
    /// The daemon's own user id.
    let daemonUID: UInt32
    /// The control group's id and name.
    let groupID: UInt32
    let groupName: String

    /// The group named `name` (`nil`: the daemon's own group).
    /// - Throws: a message when no such group exists.
    static func resolve(group name: String?) throws(ControlSetupError) -> ControlAccess {
        let uid = UInt32(getuid())
        if let name {
            guard let entry = getgrnam(name) else {
                throw ControlSetupError(message: "[control] group \"\(name)\": no such group")
            }
            return ControlAccess(daemonUID: uid, groupID: UInt32(entry.pointee.gr_gid), groupName: name)
        }
        let gid = getgid()
        let name = getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? "\(gid)"
        return ControlAccess(daemonUID: uid, groupID: UInt32(gid), groupName: name)
    }

    /// Whether `peer`, with its supplementary `groups`, may send commands.
    func allows(_ peer: Syscalls.PeerCredentials, groups: [UInt32]) -> Bool {
        peer.uid == 0 || peer.uid == daemonUID || peer.gid == groupID || groups.contains(groupID)
    }

    /// What a refused caller is told.
    func refusal(_ peer: Syscalls.PeerCredentials) -> String {
        "uid \(peer.uid) may not control this daemon: only root, uid \(daemonUID) (the daemon's user) and members of group \(groupName) (gid \(groupID)) may"
    }

    /// The supplementary groups of process `pid` (`Groups:` in `/proc/PID/status`),
    /// read right after it connected; empty when it is already gone.
    static func supplementaryGroups(of pid: Int32) -> [UInt32] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return [] }
        return line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
    }
}

/// The control socket could not be set up.
struct ControlSetupError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}
