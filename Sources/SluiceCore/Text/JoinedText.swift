/// `[String].joined(separator:)` written for arrays of strings only. The standard
/// library's `joined` is generic over the collection, and its first call in a process
/// makes the runtime look up conformances and build type metadata by name; a no-op
/// `upgrade`, which is mostly start-up, calls this instead on its way out.
public enum JoinedText {
    /// `parts` with `separator` between each two.
    public static func join(_ parts: [String], separator: String) -> String {
        var result = ""
        var first = true
        for part in parts {
            if !first { result += separator }
            result += part
            first = false
        }
        return result
    }
}
