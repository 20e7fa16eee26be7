import Glibc

/// The way from `/` to a configured directory, as the kernel walks it: every directory
/// passed through, with the name looked up in it, symbolic links followed (their targets
/// walked the same way). Deploy tools publish a new tree by swapping one of those names
/// atomically — a `current` or `versions` symlink flipped by git-sync or a `releases/`
/// layout, Kubernetes' `..data` — so watching each directory for its one name is how the
/// daemon follows the configured path rather than the inode it found at start.
public struct PathChain: Equatable, Sendable {
    /// One lookup on the way: `name` in `directory`.
    public struct Link: Equatable, Sendable {
        public let directory: String
        public let name: String
        /// Whether the name was a symbolic link when walked.
        public var isSymlink = false
    }

    /// Every lookup, in walking order (a directory can appear more than once).
    public let links: [Link]
    /// The directory the path leads to now, or `nil` when it does not (a name is missing,
    /// not a directory, or the links loop).
    public let resolved: String?

    /// The lookups worth watching: from the first symbolic link on the way (what deploy
    /// tools swap) to the end, and always the last one (the directory's own name in its
    /// parent, so a directory removed and created again is followed). Directories above
    /// the first link are not watched: nothing swaps them, and a busy `/tmp` would wake
    /// the daemon for nothing.
    public var watched: [Link] {
        guard let last = links.last else { return [] }
        guard let first = links.firstIndex(where: \.isSymlink) else { return [last] }
        return Array(links[first...])
    }

    /// Walks `path` (absolute) now.
    public static func resolve(_ path: String) -> PathChain {
        var pending = components(path)
        var current = "/"
        var links: [Link] = []
        var hops = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name.isEmpty || name == "." { continue }
            if name == ".." {
                current = parent(of: current)
                continue
            }
            links.append(Link(directory: current, name: name))
            let next = current == "/" ? "/" + name : current + "/" + name
            var info = stat()
            guard lstat(next, &info) == 0 else { return PathChain(links: links, resolved: nil) }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                links[links.count - 1].isSymlink = true
                hops += 1
                guard hops <= 40, let target = readLink(next) else { return PathChain(links: links, resolved: nil) }
                if target.hasPrefix("/") { current = "/" }
                pending = components(target) + pending
            case S_IFDIR:
                current = next
            default:
                return PathChain(links: links, resolved: nil)
            }
        }
        return PathChain(links: links, resolved: current)
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    private static func parent(of directory: String) -> String {
        guard let slash = directory.lastIndex(of: "/"), directory != "/" else { return "/" }
        let head = String(directory[..<slash])
        return head.isEmpty ? "/" : head
    }

    /// `readlink(2)`.
    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
