/// A revision file that cannot be used, with the file, the line and the reason.
///
/// The description reads like a compiler diagnostic (`path:line: reason`), so editors and
/// operators can jump straight to the place.
public struct RevisionFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given to the parser.
    public let path: String
    /// The 1-based line, or `nil` when the problem concerns the whole file.
    public let line: Int?
    /// What is wrong and, where it helps, what to do.
    public let reason: String

    /// Creates an error for `path` at `line`.
    public init(path: String, line: Int?, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
