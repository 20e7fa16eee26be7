/// The four string forms: basic `"…"` with escapes, literal `'…'` as written, and their
/// multi-line `"""…"""` and `'''…'''` forms.
///
/// Text is collected as UTF-8 bytes; the document is valid UTF-8 and escapes add whole
/// scalars, so the result always decodes exactly.
extension TOMLReader {
    /// Reads a basic string on one line, starting at its opening quote.
    mutating func readBasicString() throws(TOMLSyntaxError) -> String {
        let start = cursor.offset
        cursor.offset += 1
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("this string has no closing quote", at: start) }
            switch byte {
            case .quote:
                cursor.offset += 1
                return String(decoding: text, as: UTF8.self)
            case .backslash:
                try readEscape(into: &text)
            case .lineFeed, .carriageReturn:
                throw cursor.error("this string has no closing quote on its line; use \"\"\" for text on several lines")
            default:
                try append(byte, to: &text)
            }
        }
    }

    /// Reads a multi-line basic string, starting at its `"""`.
    mutating func readMultilineBasicString() throws(TOMLSyntaxError) -> String {
        let start = cursor.offset
        cursor.offset += 3
        _ = try cursor.consumeNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("this string has no closing \"\"\"", at: start) }
            switch byte {
            case .quote:
                if try closeMultiline(.quote, text: &text) { return String(decoding: text, as: UTF8.self) }
            case .backslash:
                if try !skipLineEndingBackslash() { try readEscape(into: &text) }
            case .lineFeed, .carriageReturn:
                _ = try cursor.consumeNewline()
                text.append(.lineFeed)
            default:
                try append(byte, to: &text)
            }
        }
    }

    /// Reads a literal string on one line, starting at its opening apostrophe.
    mutating func readLiteralString() throws(TOMLSyntaxError) -> String {
        let start = cursor.offset
        cursor.offset += 1
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("this string has no closing apostrophe", at: start) }
            switch byte {
            case .apostrophe:
                cursor.offset += 1
                return String(decoding: text, as: UTF8.self)
            case .lineFeed, .carriageReturn:
                throw cursor.error("this string has no closing apostrophe on its line; use ''' for text on several lines")
            default:
                try append(byte, to: &text)
            }
        }
    }

    /// Reads a multi-line literal string, starting at its `'''`.
    mutating func readMultilineLiteralString() throws(TOMLSyntaxError) -> String {
        let start = cursor.offset
        cursor.offset += 3
        _ = try cursor.consumeNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.current else { throw cursor.error("this string has no closing '''", at: start) }
            switch byte {
            case .apostrophe:
                if try closeMultiline(.apostrophe, text: &text) { return String(decoding: text, as: UTF8.self) }
            case .lineFeed, .carriageReturn:
                _ = try cursor.consumeNewline()
                text.append(.lineFeed)
            default:
                try append(byte, to: &text)
            }
        }
    }

    /// Adds one byte of string content, rejecting the control characters that must be
    /// escaped (everything below U+0020 but tab, and U+007F).
    private mutating func append(_ byte: UInt8, to text: inout [UInt8]) throws(TOMLSyntaxError) {
        guard !byte.isForbiddenControl else {
            throw cursor.error("control character \(byte.controlName) must be escaped in a string")
        }
        text.append(byte)
        cursor.offset += 1
    }

    /// At a run of delimiters in a multi-line string: three or more end the string (one
    /// or two more before them still belong to the text); fewer are text.
    private mutating func closeMultiline(_ delimiter: UInt8, text: inout [UInt8]) throws(TOMLSyntaxError) -> Bool {
        var run = 0
        while cursor.peek(run) == delimiter { run += 1 }
        guard run >= 3 else {
            text.append(contentsOf: repeatElement(delimiter, count: run))
            cursor.offset += run
            return false
        }
        guard run <= 5 else {
            throw cursor.error("too many quotes: at most two may stand right before the closing delimiter", at: cursor.offset + 5)
        }
        text.append(contentsOf: repeatElement(delimiter, count: run - 3))
        cursor.offset += run
        return true
    }

    /// At a backslash in a multi-line basic string: if only whitespace follows it on the
    /// line, skips it, the newline and all whitespace and newlines after, and says so.
    private mutating func skipLineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var probe = cursor
        probe.offset += 1
        probe.skipWhitespace()
        guard try probe.consumeNewline() else { return false }
        while true {
            probe.skipWhitespace()
            guard try probe.consumeNewline() else { break }
        }
        cursor = probe
        return true
    }

    /// Reads one escape sequence at a backslash and appends what it stands for.
    private mutating func readEscape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = cursor.offset
        cursor.offset += 1
        let simple: UInt8? = switch cursor.current {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): .tab
        case UInt8(ascii: "n"): .lineFeed
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): .carriageReturn
        case .quote: .quote
        case .backslash: .backslash
        default: nil
        }
        if let simple {
            text.append(simple)
            cursor.offset += 1
            return
        }
        let digits = switch cursor.current {
        case UInt8(ascii: "u"): 4
        case UInt8(ascii: "U"): 8
        default: 0
        }
        guard digits > 0 else {
            guard let byte = cursor.current, byte != .lineFeed, byte != .carriageReturn, !byte.isForbiddenControl else {
                throw cursor.error("a backslash must be followed by an escape character", at: start)
            }
            throw cursor.error("invalid escape \"\\\(cursor.currentCharacter)\"; use \\b \\t \\n \\f \\r \\\" \\\\ "
                + "\\uXXXX or \\UXXXXXXXX", at: start)
        }
        cursor.offset += 1
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = cursor.current, byte.isHexDigit else {
                throw cursor.error("\\\(digits == 4 ? "u" : "U") must be followed by \(digits) hexadecimal digits", at: start)
            }
            value = value << 4 | UInt32(byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10)
            cursor.offset += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            let hex = String(value, radix: 16, uppercase: true)
            throw cursor.error("U+\(hex) is not a Unicode scalar value (a surrogate or beyond U+10FFFF)", at: start)
        }
        UTF8.encode(scalar) { text.append($0) }
    }
}
