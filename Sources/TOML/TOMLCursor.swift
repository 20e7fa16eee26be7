/// A position in the UTF-8 bytes of a TOML document, with the small steps every part of
/// the grammar shares: whitespace, comments, newlines and the end of a line.
///
/// The parser works on bytes because every TOML delimiter is ASCII, and the text came in as
/// a Swift `String`, so the bytes are already valid UTF-8; only the error position is
/// turned back into a line and a column (in Unicode scalars), when an error is reported.
struct TOMLCursor {
    /// The document's UTF-8 bytes.
    let bytes: [UInt8]
    /// The offset of the next byte to read.
    var offset = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= bytes.count }

    /// The next byte, or `nil` at the end.
    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    /// The byte `distance` past the next one, or `nil` past the end.
    func peek(_ distance: Int) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    /// Whether the next bytes are exactly `text` (ASCII).
    func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let pattern = text.utf8Start
        for index in 0..<count where bytes[offset + index] != pattern[index] { return false }
        return true
    }

    /// Consumes `byte` if it is next; says whether it did.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        offset += 1
        return true
    }

    /// Skips spaces and tabs, the only whitespace TOML has inside a line.
    mutating func skipWhitespace() {
        while let byte = current, byte == .space || byte == .tab { offset += 1 }
    }

    /// Skips a comment if one starts here, rejecting the control characters the
    /// specification forbids in comments (all but tab); stops before the newline.
    mutating func skipComment() throws(TOMLSyntaxError) {
        guard current == .hash else { return }
        while let byte = current, byte != .lineFeed {
            // A carriage return ends the comment; consumeNewline decides if it is CRLF.
            if byte == .carriageReturn { return }
            if byte.isForbiddenControl { throw error("control character \(byte.controlName) is not allowed in a comment") }
            offset += 1
        }
    }

    /// Consumes one newline (LF or CRLF) if one is next; a carriage return on its own is an
    /// error, since TOML only knows LF and CRLF line endings.
    mutating func consumeNewline() throws(TOMLSyntaxError) -> Bool {
        switch current {
        case .lineFeed:
            offset += 1
            return true
        case .carriageReturn:
            guard peek(1) == .lineFeed else { throw error("a carriage return must be followed by a line feed") }
            offset += 2
            return true
        default:
            return false
        }
    }

    /// Skips whitespace, comments and newlines, which arrays allow between their elements.
    mutating func skipBlankLines() throws(TOMLSyntaxError) {
        while true {
            skipWhitespace()
            try skipComment()
            guard try consumeNewline() else { return }
        }
    }

    /// Requires the rest of the line to be empty or a comment, after `what` ("a value", "a
    /// table header"), and consumes its newline.
    mutating func expectEndOfLine(after what: String) throws(TOMLSyntaxError) {
        skipWhitespace()
        try skipComment()
        guard !isAtEnd else { return }
        guard try consumeNewline() else {
            throw error("expected the end of the line after \(what), found \(describeCurrent())")
        }
    }

    /// The next character as a message names it: `"x"`, "the end of the line", "the end of
    /// the file".
    func describeCurrent() -> String {
        guard let byte = current else { return "the end of the file" }
        if byte == .lineFeed || byte == .carriageReturn { return "the end of the line" }
        if byte.isForbiddenControl { return "control character \(byte.controlName)" }
        return "\"\(currentCharacter)\""
    }

    /// The whole character (Unicode scalar) at the cursor, as text; empty at the end.
    var currentCharacter: String {
        guard offset < bytes.count else { return "" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// An error at `position` (the current offset by default), with its line and column.
    func error(_ reason: String, at position: Int? = nil) -> TOMLSyntaxError {
        let target = min(position ?? offset, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<target where bytes[index] == .lineFeed {
            line += 1
            lineStart = index + 1
        }
        // Count scalars, not bytes: continuation bytes (10xxxxxx) do not start a character.
        let column = 1 + bytes[lineStart..<target].count(where: { $0 & 0xC0 != 0x80 })
        return TOMLSyntaxError(line: line, column: column, reason: reason)
    }
}

/// The ASCII bytes the grammar names, so the parser reads as the specification does.
extension UInt8 {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let delete: UInt8 = 0x7F

    /// A control character TOML forbids in comments and strings: U+0000–U+001F except
    /// tab, and U+007F. (Line feeds are handled before this is asked.)
    var isForbiddenControl: Bool { (self < 0x20 && self != .tab) || self == .delete }

    /// `U+001B`-style name of a control character, for messages.
    var controlName: String {
        let hex = String(self, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// `0`–`9` only: TOML's digits are ASCII, never a look-alike.
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }

    /// `0`–`9`, `a`–`f`, `A`–`F`.
    var isHexDigit: Bool { isASCIIDigit || (self | 0x20 >= 0x61 && self | 0x20 <= 0x66) }

    /// A character allowed in a bare key: `A`–`Z`, `a`–`z`, `0`–`9`, `-` and `_`.
    var isBareKeyCharacter: Bool {
        isASCIIDigit || (self | 0x20 >= 0x61 && self | 0x20 <= 0x7A) || self == .minus || self == .underscore
    }
}
