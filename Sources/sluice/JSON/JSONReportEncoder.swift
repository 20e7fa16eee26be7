import FoundationEssentials

/// Turns the `--json` reports into the text the commands print: FoundationEssentials'
/// `JSONEncoder` with sorted keys, two-space indentation and `"key" : value`, the layout
/// `JSONSerialization` gave when sluice still linked Foundation, so scripts comparing the
/// output see the same text.
enum JSONReportEncoder {
    /// `report` as pretty-printed JSON, without a trailing newline.
    static func text(_ report: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return escapingLineSeparators(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// `json` with U+2028 and U+2029 written as `\u2028` and `\u2029`, as sluice's JSON
    /// log lines write them, so the output is also valid JavaScript. `JSONEncoder` leaves
    /// them raw; outside strings its output never has them, so this only touches strings.
    private static func escapingLineSeparators(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) else { return json }
        var escaped = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            switch scalar {
            case "\u{2028}": escaped.append(contentsOf: "\\u2028".unicodeScalars)
            case "\u{2029}": escaped.append(contentsOf: "\\u2029".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
