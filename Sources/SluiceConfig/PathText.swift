import Foundation

/// Textual path arithmetic for the paths in the file, which are relative to the file's own
/// directory (SPEC §7) so a checkout works wherever it lives.
///
/// It is purely textual on purpose: symlinks are not resolved and nothing needs to exist
/// yet (the database and backup directory may be created later).
enum PathText {
    /// The absolute, normalised form of `path`, read relative to `directory` when it is
    /// relative. `directory` must be absolute.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        normalize(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    /// The absolute, normalised directory that holds `file`; a relative `file` is read
    /// against the current working directory, as the shell that typed it would.
    static func directory(of file: String) -> String {
        let absolute = resolve(file, relativeTo: FileManager.default.currentDirectoryPath)
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }

    /// Removes empty and `.` components and folds `..` into its parent (at the root, `..`
    /// stays at the root). `path` must be absolute.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
