/// Integers (decimal, `0x`, `0o`, `0b`, with `_` between digits) and floats (fraction,
/// exponent, `inf`, `nan`), each read as one token and then checked as a whole.
extension TOMLReader {
    /// Reads the number starting here.
    mutating func readNumber() throws(TOMLSyntaxError) -> TOMLValue {
        let start = cursor.offset
        while let byte = cursor.current, byte.isBareKeyCharacter || byte == .dot || byte == .plus { cursor.offset += 1 }
        let token = Array(cursor.bytes[start..<cursor.offset])
        let text = String(decoding: token, as: UTF8.self)
        func fail(_ reason: String) -> TOMLSyntaxError { cursor.error("invalid number \"\(text)\": \(reason)", at: start) }

        let sign = token.first == .plus || token.first == .minus ? token[0] : nil
        let body = Array(token.dropFirst(sign == nil ? 0 : 1))
        switch body {
        case Array("inf".utf8): return .float(sign == .minus ? -.infinity : .infinity)
        case Array("nan".utf8): return .float(sign == .minus ? -.nan : .nan)
        default: break
        }
        if body.count >= 2, body[0] == UInt8(ascii: "0"), let radix = Self.radix(of: body[1]) {
            guard sign == nil else { throw fail("a sign is not allowed before 0x, 0o or 0b") }
            return .integer(try integer(Array(body[2...]), radix: radix, negative: false, fail: fail))
        }
        guard body.first?.isASCIIDigit == true else { throw fail("expected a digit") }
        if body.contains(where: { $0 == .dot || $0 | 0x20 == UInt8(ascii: "e") }) {
            return .float(try float(token, body: body, fail: fail))
        }
        guard Self.isDigitGroup(body, radix: 10) else { throw fail(Self.groupProblem(body, radix: 10)) }
        guard body.count == 1 || body[0] != UInt8(ascii: "0") else { throw fail("leading zeros are not allowed") }
        return .integer(try integer(body, radix: 10, negative: sign == .minus, fail: fail))
    }

    /// The radix a `0x`, `0o` or `0b` prefix letter names.
    private static func radix(of letter: UInt8) -> Int? {
        switch letter {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    /// The digits (with their underscores) as an `Int`, which they must fit.
    private func integer(_ digits: [UInt8], radix: Int, negative: Bool,
                         fail: (String) -> TOMLSyntaxError) throws(TOMLSyntaxError) -> Int {
        guard Self.isDigitGroup(digits, radix: radix) else { throw fail(Self.groupProblem(digits, radix: radix)) }
        var value = 0
        for byte in digits where byte != .underscore {
            let digit = Int(byte <= 0x39 ? byte - 0x30 : (byte | 0x20) - 0x61 + 10)
            // Accumulate towards the sign so that Int.min is reachable.
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow, !overflow2 else { throw fail("it does not fit in a 64-bit integer") }
            value = next
        }
        return value
    }

    /// Checks a decimal float's shape (`int[.frac][e[sign]exp]`) and converts it.
    private func float(_ token: [UInt8], body: [UInt8], fail: (String) -> TOMLSyntaxError) throws(TOMLSyntaxError) -> Double {
        let exponentIndex = body.firstIndex { $0 | 0x20 == UInt8(ascii: "e") }
        let mantissa = body[..<(exponentIndex ?? body.endIndex)]
        let dotIndex = mantissa.firstIndex(of: .dot)
        let whole = Array(mantissa[..<(dotIndex ?? mantissa.endIndex)])
        guard Self.isDigitGroup(whole, radix: 10) else { throw fail(Self.groupProblem(whole, radix: 10)) }
        guard whole.count == 1 || whole[0] != UInt8(ascii: "0") else { throw fail("leading zeros are not allowed") }
        if let dotIndex {
            let fraction = Array(mantissa[(dotIndex + 1)...])
            guard !fraction.isEmpty else { throw fail("a decimal point must be followed by digits") }
            guard Self.isDigitGroup(fraction, radix: 10) else { throw fail(Self.groupProblem(fraction, radix: 10)) }
        }
        if let exponentIndex {
            var exponent = Array(body[(exponentIndex + 1)...])
            if exponent.first == .plus || exponent.first == .minus { exponent.removeFirst() }
            guard !exponent.isEmpty else { throw fail("an exponent must have digits") }
            guard Self.isDigitGroup(exponent, radix: 10) else { throw fail(Self.groupProblem(exponent, radix: 10)) }
        }
        let plain = String(decoding: token.filter { $0 != .underscore }, as: UTF8.self)
        guard let value = Double(plain) else { throw fail("not a number") }
        return value
    }

    /// Whether `digits` are digits of `radix`, with each underscore between two digits.
    private static func isDigitGroup(_ digits: [UInt8], radix: Int) -> Bool {
        guard let first = digits.first, let last = digits.last, first != .underscore, last != .underscore else { return false }
        var previous: UInt8 = 0
        for byte in digits {
            if byte == .underscore {
                guard previous != .underscore else { return false }
            } else {
                guard isDigit(byte, radix: radix) else { return false }
            }
            previous = byte
        }
        return true
    }

    /// Why `digits` is not a digit group, for the message.
    private static func groupProblem(_ digits: [UInt8], radix: Int) -> String {
        if digits.isEmpty { return "expected digits" }
        if let bad = digits.first(where: { $0 != .underscore && !isDigit($0, radix: radix) }) {
            let name = radix == 10 ? "decimal" : radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary"
            return "\"\(String(decoding: [bad], as: UTF8.self))\" is not a \(name) digit"
        }
        return "each underscore must stand between two digits"
    }

    /// Whether `byte` is a digit of `radix` (2, 8, 10 or 16).
    private static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch radix {
        case 16: byte.isHexDigit
        default: byte.isASCIIDigit && Int(byte - 0x30) < radix
        }
    }
}
