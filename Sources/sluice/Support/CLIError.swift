/// An error the CLI reports and exits with: 1 for a failed migration, validation or
/// check, 2 for bad usage or configuration (SPEC §4).
struct CLIError: Error, CustomStringConvertible {
    /// The exit status.
    let code: Int32
    /// The message, which says what to do.
    let message: String

    var description: String { message }

    /// A failed migration, validation or check.
    static func failed(_ message: String) -> CLIError { CLIError(code: 1, message: message) }
    /// Bad usage or configuration.
    static func usage(_ message: String) -> CLIError { CLIError(code: 2, message: message) }
}
