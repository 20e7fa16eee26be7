/// Reads TOML 1.0.0 documents (https://toml.io/en/v1.0.0) into `TOMLTable`s, with the
/// standard library only, so that the configuration module needs no Foundation.
public enum TOMLParser {
    /// Parses a whole document.
    ///
    /// - Parameter text: The document; LF and CRLF line endings are both accepted.
    /// - Returns: The root table.
    /// - Throws: `TOMLSyntaxError` at the first problem, with its line and column.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var reader = TOMLReader(text)
        return try reader.readDocument()
    }
}

/// The state of one parse: the cursor, the tables built so far and the section counter
/// that tells dotted keys which tables they may still extend.
///
/// Its parts live in extensions by grammar rule: keys, strings, numbers, date-times, and
/// arrays with inline tables.
struct TOMLReader {
    /// How deeply arrays and inline tables may nest: far beyond any real configuration,
    /// and low enough that a hostile file cannot exhaust the stack.
    static let maximumDepth = 100

    var cursor: TOMLCursor
    /// The document's root table; headers are resolved from here.
    let root = TOMLTableNode(origin: .header)
    /// The number of sections (headers and inline tables) handed out so far.
    var sections = 0
    /// How many arrays and inline tables enclose the value being read.
    var depth = 0

    init(_ text: String) {
        cursor = TOMLCursor(text)
    }

    /// Reads every line: blank lines and comments, headers and key/value pairs.
    mutating func readDocument() throws(TOMLSyntaxError) -> TOMLTable {
        var table = root
        var section = 0
        while true {
            try cursor.skipBlankLines()
            guard let byte = cursor.current else { break }
            if byte == .openBracket {
                sections += 1
                section = sections
                table = try readHeader()
                try cursor.expectEndOfLine(after: "a table header")
            } else {
                let (path, value) = try readKeyValue()
                try located { () throws(TOMLRuleViolation) in try table.assign(value, to: path, section: section) }
                try cursor.expectEndOfLine(after: "a value")
            }
        }
        return root.build()
    }

    /// Reads `[a.b]` or `[[a.b]]` and returns the table that the following lines fill.
    private mutating func readHeader() throws(TOMLSyntaxError) -> TOMLTableNode {
        cursor.offset += 1
        let isArray = cursor.consume(.openBracket)
        cursor.skipWhitespace()
        let path = try readKey()
        if isArray {
            guard cursor.starts(with: "]]") else {
                throw cursor.error("expected \"]]\" to close the array-of-tables header, found \(cursor.describeCurrent())")
            }
            cursor.offset += 2
            return try located { () throws(TOMLRuleViolation) in try root.appendTable(path) }
        }
        guard cursor.consume(.closeBracket) else {
            throw cursor.error("expected \"]\" to close the table header, found \(cursor.describeCurrent())")
        }
        return try located { () throws(TOMLRuleViolation) in try root.defineTable(path) }
    }

    /// Reads `key = value` (the key possibly dotted), stopping after the value.
    mutating func readKeyValue() throws(TOMLSyntaxError) -> ([TOMLKey], TOMLValue) {
        let path = try readKey()
        guard cursor.consume(.equals) else {
            throw cursor.error("expected \"=\" after the key \(path.quoted), found \(cursor.describeCurrent())")
        }
        cursor.skipWhitespace()
        return (path, try readValue())
    }

    /// Runs a table-rule step, turning its violation into a syntax error at the key.
    func located<Result>(_ step: () throws(TOMLRuleViolation) -> Result) throws(TOMLSyntaxError) -> Result {
        do {
            return try step()
        } catch {
            throw cursor.error(error.reason, at: error.offset)
        }
    }
}
