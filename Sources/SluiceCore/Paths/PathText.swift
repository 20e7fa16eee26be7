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
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        // Concatenated by hand: `joined(separator:)` over substrings goes through generic
        // metadata the runtime instantiates on first use, which every command pays at start.
        guard !parts.isEmpty else { return "/" }
        var result = ""
        for part in parts {
            result += "/"
            result += part
        }
        return result
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
