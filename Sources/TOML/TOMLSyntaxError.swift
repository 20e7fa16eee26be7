/// Why a TOML document was rejected, and where.
///
/// The configuration loader turns it into `ConfigurationError(path:line:column:reason:)`,
/// so the operator sees `file:line:column: invalid TOML: reason`, the shape editors jump to.
public struct TOMLSyntaxError: Error, Equatable, CustomStringConvertible {
    /// The 1-based line where the problem was detected.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars from the start of the line.
    public let column: Int
    /// A short plain reason, like `duplicate key "settle"`.
    public let reason: String

    /// `line:column: reason`.
    public var description: String { "\(line):\(column): \(reason)" }
}
