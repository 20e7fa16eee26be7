import SluiceCore

/// The JSON that `--json` prints: objects with sorted keys, two-space indentation and
/// `"key" : value`, as Foundation's `JSONSerialization` writes them with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, so the output stays the same
/// for scripts that compare it, written without pulling that library into the CLI.
///
/// Values are plain Swift ones: `String`, `Int`, `Double`, `Bool`, arrays of values,
/// `[String: Any]` dictionaries, `JSONValue` trees, and `JSONNull` for `null`.
enum JSONOutput {
    /// `value` as pretty-printed JSON text, without a trailing newline.
    static func render(_ value: Any) -> String {
        var text = ""
        write(value, indent: 0, into: &text)
        return text
    }

    private static func write(_ value: Any, indent: Int, into text: inout String) {
        switch value {
        case is JSONNull: text += "null"
        case let bool as Bool: text += bool ? "true" : "false"
        case let int as Int: text += String(int)
        case let int as Int64: text += String(int)
        case let double as Double: text += number(double)
        case let string as String: quote(string, into: &text)
        case let string as Substring: quote(String(string), into: &text)
        case let tree as JSONValue: write(tree.plain, indent: indent, into: &text)
        case let object as [String: Any]:
            writeObject(object.sorted { $0.key < $1.key }, indent: indent, into: &text)
        case let array as [Any]:
            text += "[\n"
            for (index, element) in array.enumerated() {
                text += spaces(indent + 2)
                write(element, indent: indent + 2, into: &text)
                text += index == array.count - 1 ? "\n" : ",\n"
            }
            if array.isEmpty { text += "\n" }
            text += spaces(indent) + "]"
        default:
            quote(String(describing: value), into: &text)
        }
    }

    private static func writeObject(_ members: [(key: String, value: Any)], indent: Int, into text: inout String) {
        text += "{\n"
        for (index, member) in members.enumerated() {
            text += spaces(indent + 2)
            quote(member.key, into: &text)
            text += " : "
            write(member.value, indent: indent + 2, into: &text)
            text += index == members.count - 1 ? "\n" : ",\n"
        }
        if members.isEmpty { text += "\n" }
        text += spaces(indent) + "}"
    }

    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    private static func quote(_ string: String, into text: inout String) {
        text += JSONText.quoted(string)
    }

    private static func spaces(_ count: Int) -> String { String(repeating: " ", count: count) }
}

/// JSON's `null` in a `[String: Any]` passed to `JSONOutput`.
struct JSONNull {}

/// A decoded JSON document (the state file, read back for `status --json`) that can be
/// extended with more keys and printed again.
indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as the plain Swift types `JSONOutput` prints.
    var plain: Any {
        switch self {
        case .null: JSONNull()
        case .bool(let bool): bool
        case .number(let number): number
        case .string(let string): string
        case .array(let array): array.map(\.plain)
        case .object(let object): object.mapValues(\.plain) as [String: Any]
        }
    }
}
