import Glibc

/// Textual path arithmetic: configuration paths relative to the file's own directory
/// (SPEC §7), command-line paths relative to the working directory, backup names next to
/// the database.
///
/// It is purely textual on purpose: symlinks are not resolved and nothing needs to exist
/// yet (the database and backup directory may be created later), and it costs nothing at
/// start-up, where every command resolves its paths.
public enum PathText {
    /// The absolute, normalised form of `path`, read relative to `directory` when it is
    /// relative. `directory` must be absolute.
    public static func resolve(_ path: String, relativeTo directory: String) -> String {
        normalize(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    /// The absolute, normalised directory that holds `file`; a relative `file` is read
    /// against the current working directory, as the shell that typed it would.
    public static func directory(of file: String) -> String {
        parent(of: resolve(file, relativeTo: currentDirectory()))
    }

    /// The working directory (`getcwd(3)`), or `/` when it cannot be named (removed, or
    /// longer than `PATH_MAX`): paths are then read from the root.
    public static func currentDirectory() -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let named = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { getcwd($0.baseAddress, $0.count) != nil }
        }
        guard named else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Whether anything exists at `path` (`access(2)` with `F_OK`, following symlinks).
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Removes empty and `.` components and folds `..` into its parent (at the root, `..`
    /// stays at the root). `path` must be absolute.
    ///
    /// Worked on the UTF-8 bytes: every command resolves its paths at start, and the
    /// generic `split`/`joined` over substrings make the runtime instantiate type metadata
    /// on first use, which cost more than the rest of a no-op `upgrade`'s path handling.
    public static func normalize(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 1)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != slash { end += 1 }
            let length = end - start
            if length == 0 || (length == 1 && bytes[start] == dot) {
                // An empty or `.` component: nothing to add.
            } else if length == 2, bytes[start] == dot, bytes[start + 1] == dot {
                while let last = result.popLast(), last != slash {}
            } else {
                result.append(slash)
                result.append(contentsOf: bytes[start..<end])
            }
            start = end + 1
        }
        return result.isEmpty ? "/" : String(decoding: result, as: UTF8.self)
    }

    /// Everything before the last `/` (`/srv/app.db` → `/srv`, `app.db` → `.`, `/x` → `/`).
    public static func parent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The part after the last `/` (`/srv/app.db` → `app.db`).
    public static func lastComponent(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name` without its last `.extension` (`app.db` → `app`; `.hidden` and `app` stay).
    public static func deletingExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `directory` and `name` joined by one `/`.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
