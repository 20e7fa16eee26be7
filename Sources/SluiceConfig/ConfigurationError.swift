import TOML
/// A configuration file that cannot be used, with the file, the key or line, and the reason.
///
/// The daemon exits with status 2 on this error (SPEC §4, §6), so the text is all an
/// operator gets: it names the file, then either the key path (`window[1].duration`) of a
/// value that is wrong, or the line and column of a TOML syntax error, then what is allowed.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file's path as it was given, so the message matches what was typed.
    public let path: String
    /// The dotted key path of the offending value (`log.level`, `window[0].timezone`,
    /// `window[0].days[2]`), or `nil` when the problem concerns the whole file.
    public let key: String?
    /// The 1-based line of a TOML syntax error; `nil` for errors found after parsing, which
    /// the key locates instead.
    public let line: Int?
    /// The 1-based column of a TOML syntax error, when the parser reported one.
    public let column: Int?
    /// What is wrong and what is allowed instead.
    public let reason: String

    /// Creates an error for `path`; give `key` for a bad value, `line` for a syntax error.
    public init(path: String, key: String? = nil, line: Int? = nil, column: Int? = nil, reason: String) {
        self.path = path
        self.key = key
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `path: key `k`: reason`, `path:line:column: reason`, or `path: reason`, in the shape
    /// compilers use so editors can jump to the place.
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        if let key { return "\(location): key `\(key)`: \(reason)" }
        return "\(location): \(reason)"
    }
}
