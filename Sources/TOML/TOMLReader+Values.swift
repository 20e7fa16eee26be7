/// A value after `=` or inside an array: the kind is chosen by its first characters.
extension TOMLReader {
    /// Reads the value starting here.
    mutating func readValue() throws(TOMLSyntaxError) -> TOMLValue {
        switch cursor.current {
        case .quote?:
            return .string(cursor.starts(with: "\"\"\"") ? try readMultilineBasicString() : try readBasicString())
        case .apostrophe?:
            return .string(cursor.starts(with: "'''") ? try readMultilineLiteralString() : try readLiteralString())
        case .openBracket?:
            return try nested { (reader: inout TOMLReader) throws(TOMLSyntaxError) in try reader.readArray() }
        case .openBrace?:
            return try nested { (reader: inout TOMLReader) throws(TOMLSyntaxError) in try reader.readInlineTable() }
        case _ where cursor.starts(with: "true"):
            cursor.offset += 4
            return .boolean(true)
        case _ where cursor.starts(with: "false"):
            cursor.offset += 5
            return .boolean(false)
        case _ where atDateOrTime:
            return try readDateOrTime()
        case let byte? where byte.isASCIIDigit || byte == .plus || byte == .minus
            || cursor.starts(with: "inf") || cursor.starts(with: "nan"):
            return try readNumber()
        default:
            throw cursor.error("expected a value, found \(cursor.describeCurrent())")
        }
    }

    /// Reads an array or inline table one level deeper, refusing absurd nesting.
    private mutating func nested(_ read: (inout TOMLReader) throws(TOMLSyntaxError) -> TOMLValue) throws(TOMLSyntaxError) -> TOMLValue {
        guard depth < Self.maximumDepth else {
            throw cursor.error("arrays and inline tables nest more than \(Self.maximumDepth) levels deep")
        }
        depth += 1
        defer { depth -= 1 }
        return try read(&self)
    }

    /// Reads `[a, b, …]`: any kinds mixed, newlines and comments between elements, and
    /// an optional trailing comma.
    private mutating func readArray() throws(TOMLSyntaxError) -> TOMLValue {
        let start = cursor.offset
        cursor.offset += 1
        var elements: [TOMLValue] = []
        while true {
            try cursor.skipBlankLines()
            if cursor.consume(.closeBracket) { return .array(elements) }
            guard !cursor.isAtEnd else { throw cursor.error("this array has no closing \"]\"", at: start) }
            elements.append(try readValue())
            try cursor.skipBlankLines()
            if cursor.consume(.comma) { continue }
            if cursor.consume(.closeBracket) { return .array(elements) }
            guard !cursor.isAtEnd else { throw cursor.error("this array has no closing \"]\"", at: start) }
            throw cursor.error("expected \",\" or \"]\" after an array element, found \(cursor.describeCurrent())")
        }
    }

    /// Reads `{ k = v, … }`: on one line, no trailing comma, complete once closed.
    private mutating func readInlineTable() throws(TOMLSyntaxError) -> TOMLValue {
        cursor.offset += 1
        sections += 1
        let section = sections
        let table = TOMLTableNode(origin: .implicit)
        cursor.skipWhitespace()
        if cursor.consume(.closeBrace) { return .table(table.build()) }
        while true {
            cursor.skipWhitespace()
            if cursor.current == .lineFeed || cursor.current == .carriageReturn {
                throw cursor.error("an inline table must be written on one line")
            }
            if cursor.current == .closeBrace { throw cursor.error("a trailing comma is not allowed in an inline table") }
            let (path, value) = try readKeyValue()
            try located { () throws(TOMLRuleViolation) in try table.assign(value, to: path, section: section) }
            cursor.skipWhitespace()
            if cursor.consume(.comma) { continue }
            if cursor.consume(.closeBrace) { return .table(table.build()) }
            if cursor.current == .lineFeed || cursor.current == .carriageReturn || cursor.isAtEnd {
                throw cursor.error("an inline table must be closed with \"}\" on the line it starts")
            }
            throw cursor.error("expected \",\" or \"}\" in the inline table, found \(cursor.describeCurrent())")
        }
    }
}
