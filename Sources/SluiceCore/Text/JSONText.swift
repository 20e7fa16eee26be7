/// JSON string encoding for the JSON-lines log handler, which writes its JSON by hand: its
/// keys come in a fixed order (JSONSerialization and JSONEncoder cannot) and it must
/// never fail. (The CLI's `--json` output goes through JSONEncoder and escapes U+2028 and
/// U+2029 the same way.)
public enum JSONText {
    /// `text` as a quoted JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\t`, … or `\u00XX`, and U+2028/U+2029 escaped so the line is also valid
    /// JavaScript.
    public static func quoted(_ text: String) -> String {
        // Most text (ids, paths, messages) needs no escape: copied whole. 0xE2 starts
        // U+2028 and U+2029 (and other characters, which the slow path copies as they are).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        result += "\""
        return result
    }
}
