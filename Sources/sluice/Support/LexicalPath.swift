/// Absolute, normalised paths without touching the file system (no symlinks resolved),
/// as `URL.standardizedFileURL` gives them, at a fraction of the cost: every command
/// resolves its paths at start-up.
enum LexicalPath {
    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes removed.
    static func absolute(_ path: String, in directory: String) -> String {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
