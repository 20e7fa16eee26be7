/// Cuts an SQL statement into tokens by SQLite's lexical rules (strings, the three ways
/// of quoting a name, blob literals, `--` and `/* */` comments, multi-character
/// operators). It only cuts: whether the statement is valid SQL is SQLite's to say, and
/// the schema it tokenizes has already been accepted by SQLite.
public enum SQLTokenizer {
    /// The tokens of `sql`, comments and white space left out.
    public static func tokens(_ sql: String) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var index = 0
        func token(_ kind: SQLToken.Kind, _ start: Int, _ end: Int) {
            tokens.append(SQLToken(kind: kind, text: String(decoding: bytes[start..<end], as: UTF8.self), range: start..<end))
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            let start = index
            switch byte {
            case 0x20, 0x09, 0x0a, 0x0d, 0x0c:
                index += 1
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != 0x0a { index += 1 }
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                index += 2
                while index < bytes.count && !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index = min(bytes.count, index + 2)
            case UInt8(ascii: "'"):
                index = endOfQuoted(bytes, from: index, closing: UInt8(ascii: "'"))
                token(.string, start, index)
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                index = endOfQuoted(bytes, from: index, closing: byte)
                token(.quotedIdentifier, start, index)
            case UInt8(ascii: "["):
                while index < bytes.count && bytes[index] != UInt8(ascii: "]") { index += 1 }
                index = min(bytes.count, index + 1)
                token(.quotedIdentifier, start, index)
            case _ where byte | 0x20 == UInt8(ascii: "x") && next == UInt8(ascii: "'"):
                index = endOfQuoted(bytes, from: index + 1, closing: UInt8(ascii: "'"))
                token(.literal, start, index)
            case _ where isDigit(byte) || (byte == UInt8(ascii: ".") && next.map(isDigit) == true):
                index += 1
                while index < bytes.count {
                    let current = bytes[index]
                    if isWordByte(current) || current == UInt8(ascii: ".") {
                        index += 1
                    } else if (current == UInt8(ascii: "+") || current == UInt8(ascii: "-")),
                              bytes[index - 1] | 0x20 == UInt8(ascii: "e"), !isHex(bytes, start) {
                        index += 1
                    } else {
                        break
                    }
                }
                token(.literal, start, index)
            case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "$"):
                index += 1
                while index < bytes.count && (isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "$")) { index += 1 }
                token(.literal, start, index)
            case _ where isWordByte(byte):
                while index < bytes.count && (isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: "$")) { index += 1 }
                token(.word, start, index)
            default:
                index += symbolLength(bytes, at: index)
                token(.symbol, start, index)
            }
        }
        return tokens
    }

    /// The offset just past the closing quote of a quoted run starting at `start`,
    /// a doubled quote standing for one.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, closing: UInt8) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == closing {
                if index + 1 < bytes.count && bytes[index + 1] == closing { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    private static func symbolLength(_ bytes: [UInt8], at index: Int) -> Int {
        let rest = bytes.count - index
        if rest >= 3, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: ">"), bytes[index + 2] == UInt8(ascii: ">") { return 3 }
        if rest >= 2 {
            let pair = String(decoding: bytes[index..<index + 2], as: UTF8.self)
            if ["||", "<<", ">>", "<=", ">=", "==", "!=", "<>", "->"].contains(pair) { return 2 }
        }
        // A multi-byte UTF-8 character outside a word stays whole.
        var length = 1
        while index + length < bytes.count && bytes[index + length] & 0xC0 == 0x80 { length += 1 }
        return length
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, digits, `_` and any non-ASCII byte, which SQLite takes as part of a name.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a) || isDigit(byte) || byte == 0x5f || byte >= 0x80
    }

    private static func isHex(_ bytes: [UInt8], _ start: Int) -> Bool {
        start + 1 < bytes.count && bytes[start] == UInt8(ascii: "0") && bytes[start + 1] | 0x20 == UInt8(ascii: "x")
    }
}
