import TOML
/// Where a configuration is being read from: the path to name in errors and the directory
/// relative paths are read against.
struct ParseContext {
    /// The file's path as given, for messages.
    let path: String
    /// The absolute directory holding the file.
    let baseDirectory: String

    /// An error about the value at `key`.
    func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(path: path, key: key, reason: reason)
    }
}

/// One TOML table being read, with the key path that locates it (`""`, `log`, `window[0]`).
///
/// Every typed getter reports a wrong type as an error naming the key, and
/// `rejectUnknownKeys` makes sure nothing in the table is silently ignored.
struct TableReader {
    let table: TOMLTable
    let keyPath: String
    let context: ParseContext

    /// The full key path of `name` inside this table.
    func key(_ name: String) -> String { keyPath.isEmpty ? name : "\(keyPath).\(name)" }

    /// Whether the table sets `name`.
    func contains(_ name: String) -> Bool { table[name] != nil }

    /// Fails on the first key (in sorted order) that is not in `allowed`, suggesting the
    /// closest allowed key, because a misspelt key must never be silently ignored.
    func rejectUnknownKeys(allowed: [String]) throws(ConfigurationError) {
        for name in table.keys.sorted() where !allowed.contains(name) {
            var reason = "unknown key"
            if let guess = Spelling.closest(to: name, among: allowed) { reason += "; did you mean `\(guess)`?" }
            reason += " Allowed \(keyPath.isEmpty ? "at the top level" : "in `\(keyPath)`"): "
            reason += allowed.map { "`\($0)`" }.joined(separator: ", ")
            throw context.error(key(name), reason)
        }
    }

    /// The value at `name`, if set.
    func value(_ name: String) -> TOMLValue? { table[name] }

    /// A string, or `nil` when unset; `example` completes "expected a string like …".
    func string(_ name: String, example: String) throws(ConfigurationError) -> String? {
        guard let value = value(name) else { return nil }
        guard let string = value.string else { throw typeError(name, value, expected: "a string like \(example)") }
        return string
    }

    /// A boolean, or `nil` when unset.
    func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard let bool = value.bool else { throw typeError(name, value, expected: "`true` or `false`") }
        return bool
    }

    /// An integer, or `nil` when unset.
    func integer(_ name: String, example: String) throws(ConfigurationError) -> Int? {
        guard let value = value(name) else { return nil }
        guard let int = value.int else { throw typeError(name, value, expected: "an integer like \(example)") }
        return int
    }

    /// A nested table (`[name]` or an inline `name = { … }`), or `nil` when unset.
    func table(_ name: String) throws(ConfigurationError) -> TableReader? {
        guard let value = value(name) else { return nil }
        guard let table = value.table else { throw typeError(name, value, expected: "a table (`[\(key(name))]` or `\(name) = { … }`)") }
        return TableReader(table: table, keyPath: key(name), context: context)
    }

    /// The tables of an array of tables (`[[name]]`), each keyed `name[i]`; empty when unset.
    func arrayOfTables(_ name: String) throws(ConfigurationError) -> [TableReader] {
        guard let value = value(name) else { return [] }
        guard let array = value.array else { throw typeError(name, value, expected: "an array of tables written `[[\(key(name))]]`") }
        var readers: [TableReader] = []
        for (index, element) in array.enumerated() {
            let elementKey = "\(key(name))[\(index)]"
            guard let table = element.table else {
                throw context.error(elementKey, "expected a table written `[[\(key(name))]]`, found \(Self.describe(element))")
            }
            readers.append(TableReader(table: table, keyPath: elementKey, context: context))
        }
        return readers
    }

    /// The error for a value of the wrong TOML type.
    func typeError(_ name: String, _ value: TOMLValue, expected: String) -> ConfigurationError {
        context.error(key(name), "expected \(expected), found \(Self.describe(value))")
    }

    /// "an integer", "a string \"x\"", …: the found value, as an operator would call it.
    static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): "the string \"\(text)\""
        case .integer(let int): "the integer \(int)"
        case .float: "a floating-point number"
        case .boolean: "a boolean"
        case .localDate: "a date"
        case .localTime: "a time of day"
        case .offsetDateTime, .localDateTime: "a date-time"
        case .table: "a table"
        case .array: "an array"
        }
    }
}
