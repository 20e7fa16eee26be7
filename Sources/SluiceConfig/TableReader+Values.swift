import SluiceCore
import TOML
/// Getters for the value kinds the configuration uses beyond plain TOML types: paths,
/// durations and sizes, each checked and reported with its key.
extension TableReader {
    /// A path, made absolute against the configuration file's directory; `nil` when unset.
    func path(_ name: String, example: String) throws(ConfigurationError) -> String? {
        guard let text = try string(name, example: example) else { return nil }
        guard !text.isBlank else {
            throw context.error(key(name), "a path must not be empty; remove the key to use the default")
        }
        return PathText.resolve(text, relativeTo: context.baseDirectory)
    }

    /// A duration written as text (`"500ms"`, `"2h"`); `nil` when unset.
    func duration(_ name: String, example: String) throws(ConfigurationError) -> Duration? {
        guard let text = try string(name, example: example) else { return nil }
        guard let duration = DurationText.parse(text) else {
            throw context.error(key(name), "\"\(text)\" is not a duration; write a number and a unit such as "
                + "\"500ms\", \"90s\", \"15m\", \"2h\", \"1d\" or \"1h30m\" (units d, h, m, s, ms; no sign)")
        }
        return duration
    }

    /// A byte size, as a TOML integer of bytes or text such as `"256MiB"`; `nil` when unset.
    func byteSize(_ name: String) throws(ConfigurationError) -> Int64? {
        guard let value = value(name) else { return nil }
        if let int = value.int {
            guard int >= 0 else { throw context.error(key(name), "a size cannot be negative (found \(int))") }
            return Int64(int)
        }
        guard let text = value.string else {
            throw typeError(name, value, expected: "a size like \"256MiB\" or an integer number of bytes")
        }
        guard let size = ByteSizeText.parse(text) else {
            throw context.error(key(name), "\"\(text)\" is not a size; write a whole number with an optional unit "
                + "such as \"512KiB\", \"256MiB\", \"1GiB\", \"100MB\" or \"1024\" (bytes)")
        }
        return size
    }

    /// A string that must be one of `choices` (compared case-insensitively); `nil` when unset.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, of _: Choice.Type) throws(ConfigurationError) -> Choice?
    where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        guard let text = try string(name, example: "\"\(allowed[0])\"") else { return nil }
        guard let choice = Choice(rawValue: text.lowercased()) else {
            throw context.error(key(name), "\"\(text)\" is not allowed; use one of "
                + allowed.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return choice
    }
}

extension String {
    /// Whether the string is empty or only whitespace, which no path or name may be.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
