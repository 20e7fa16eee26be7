/// Keys: bare (`settle`), quoted (`"a b"`, `'c:\d'`) and dotted (`log.level`), with
/// whitespace allowed around the dots.
extension TOMLReader {
    /// Reads a possibly dotted key and the whitespace after it.
    mutating func readKey() throws(TOMLSyntaxError) -> [TOMLKey] {
        var path: [TOMLKey] = []
        while true {
            path.append(try readSimpleKey())
            cursor.skipWhitespace()
            guard cursor.consume(.dot) else { return path }
            cursor.skipWhitespace()
        }
    }

    /// Reads one part of a key.
    private mutating func readSimpleKey() throws(TOMLSyntaxError) -> TOMLKey {
        let start = cursor.offset
        switch cursor.current {
        case .quote?:
            guard !cursor.starts(with: "\"\"\"") else { throw cursor.error("a key cannot be a multi-line string") }
            return TOMLKey(name: try readBasicString(), offset: start)
        case .apostrophe?:
            guard !cursor.starts(with: "'''") else { throw cursor.error("a key cannot be a multi-line string") }
            return TOMLKey(name: try readLiteralString(), offset: start)
        case let byte? where byte.isBareKeyCharacter:
            while let byte = cursor.current, byte.isBareKeyCharacter { cursor.offset += 1 }
            return TOMLKey(name: String(decoding: cursor.bytes[start..<cursor.offset], as: UTF8.self), offset: start)
        default:
            throw cursor.error("expected a key, found \(cursor.describeCurrent())")
        }
    }
}
