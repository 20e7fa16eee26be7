import Glibc
import SluiceCore
import SluiceOS

/// One database of a fleet: a file in the `databases` directory whose name matches the
/// glob. Members are told apart, and ordered, by file name.
public struct FleetMember: Sendable, Hashable, Comparable {
    /// The file name (`acme.db`): what reports, `--database NAME` and `canaries` use.
    public let name: String
    /// The absolute path.
    public let path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    public static func < (lhs: FleetMember, rhs: FleetMember) -> Bool { lhs.name < rhs.name }

    /// Whether `selector` names this member: its file name or the name without its
    /// extension, exactly or as a glob (`acme*`).
    public func matches(_ selector: String) -> Bool {
        let stem = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        let candidates: [String] = [name, stem]
        return candidates.contains { candidate in fnmatch(selector, candidate, 0) == 0 }
    }
}

/// The members of `databases = "/dir/pattern"`.
public enum FleetMembers {
    /// The members now: the regular files in the glob's directory whose names match its
    /// last component, by name. Hidden files, SQLite's `-journal`, `-wal` and `-shm`
    /// files and sluice's own `.sluice-*` files beside a database never count, whatever
    /// the pattern.
    /// - Throws: `Errno` when the directory cannot be listed.
    public static func list(glob: String) throws(Errno) -> [FleetMember] {
        let directory = PathText.parent(of: glob)
        let pattern = PathText.lastComponent(of: glob)
        let names = try DirectoryListing.names(in: directory.isEmpty ? "." : directory).get()
        var members: [FleetMember] = []
        for name in names where isCandidate(name) && fnmatch(pattern, name, FNM_PERIOD) == 0 {
            let path = directory.isEmpty ? name : directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            members.append(FleetMember(name: name, path: path))
        }
        return members.sorted()
    }

    /// Whether a file name can be a member at all (see `list`).
    public static func isCandidate(_ name: String) -> Bool {
        guard !name.hasPrefix("."), !name.contains(".sluice-") else { return false }
        return !["-journal", "-wal", "-shm"].contains { name.hasSuffix($0) }
    }

    /// The members `selectors` name (each a name, a name without extension or a glob),
    /// in name order.
    /// - Throws: the first selector that names no member, with the reason.
    public static func select(_ members: [FleetMember], _ selectors: [String]) throws(SelectionError) -> [FleetMember] {
        var chosen = Set<FleetMember>()
        for selector in selectors {
            let matched = members.filter { $0.matches(selector) }
            guard !matched.isEmpty else { throw SelectionError(selector: selector, members: members.count) }
            chosen.formUnion(matched)
        }
        return chosen.sorted()
    }

    /// A selector that names no member.
    public struct SelectionError: Error, Sendable, CustomStringConvertible {
        public let selector: String
        public let members: Int
        public var description: String {
            "no member of the fleet is named \(selector) (\(members) member(s); names are file names like acme.db, with or without the extension, or globs like 'acme*')"
        }
    }
}
