import Testing
@testable import TOML

/// The value of `v` in `v = text`.
private func value(_ text: String) throws -> TOMLValue? {
    try TOMLParser.parse("v = " + text)["v"]
}

/// The error `toml` is rejected with, or `nil` (an expectation failure) when it parses.
private func rejection(_ toml: String, sourceLocation: SourceLocation = #_sourceLocation) -> TOMLSyntaxError? {
    do {
        let table = try TOMLParser.parse(toml)
        Issue.record("expected a syntax error, parsed \(table)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func date(_ year: Int, _ month: Int, _ day: Int) -> TOMLDate { TOMLDate(year: year, month: month, day: day) }

private func time(_ hour: Int, _ minute: Int, _ second: Int, _ nanosecond: Int = 0) -> TOMLTime {
    TOMLTime(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
}

@Suite("TOML values")
struct TOMLValueTests {
    @Test("Should read every string form and escape", arguments: [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""tab\there""#, "tab\there"),
        (#""\b\t\n\f\r\"\\""#, "\u{08}\t\n\u{0C}\r\"\\"),
        (#""\u00E9\U0001F600""#, "é😀"),
        (#""\u0000""#, "\u{0}"),
        (#""é and 😀 as written""#, "é and 😀 as written"),
        (#"'C:\Users\nodejs'"#, #"C:\Users\nodejs"#),
        (#"'<\i\c*\s*>'"#, #"<\i\c*\s*>"#),
        (#"''"#, ""),
        ("\"\"\"\nRoses\nViolets\"\"\"", "Roses\nViolets"),
        ("\"\"\"\r\nfirst\r\nsecond\"\"\"", "first\nsecond"),
        ("\"\"\"one \\\n    two \\\n\n   three\"\"\"", "one two three"),
        ("\"\"\"one \\  \t\n  two\"\"\"", "one two"),
        ("\"\"\"a \\t b\"\"\"", "a \t b"),
        ("\"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"", "Here are two quotation marks: \"\". Simple enough."),
        ("\"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"", "\"This,\" she said, \"is just a pointless statement.\""),
        ("\"\"\"ends with two\"\"\"\"\"", "ends with two\"\""),
        ("'''\nThe first newline is\ntrimmed in raw strings.\n'''", "The first newline is\ntrimmed in raw strings.\n"),
        ("'''I [dw]on't need \\d{2} apples'''", "I [dw]on't need \\d{2} apples"),
        ("''''That,' she said, 'is still pointless.''''", "'That,' she said, 'is still pointless.'"),
        ("'''ends with two'''''", "ends with two''"),
        ("'''\ttabs\tstay'''", "\ttabs\tstay"),
    ])
    func strings(_ toml: String, _ expected: String) throws {
        #expect(try value(toml) == .string(expected))
    }

    @Test("Should read integers in every base, with signs and underscores", arguments: [
        ("42", 42), ("+17", 17), ("-17", -17), ("0", 0), ("+0", 0), ("-0", 0),
        ("1_000", 1000), ("5_349_221", 5_349_221), ("1_2_3_4_5", 12345),
        ("0xDEADBEEF", 0xDEADBEEF), ("0xdeadbeef", 0xDEADBEEF), ("0xdead_beef", 0xDEADBEEF), ("0x00ff", 255),
        ("0o01234567", 0o01234567), ("0o755", 0o755), ("0b11010110", 0b11010110), ("0b0_1", 1),
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
        ("0x7FFFFFFFFFFFFFFF", Int.max),
    ])
    func integers(_ toml: String, _ expected: Int) throws {
        #expect(try value(toml) == .integer(expected))
    }

    @Test("Should read floats with fractions, exponents, underscores and the special values", arguments: [
        ("+1.0", 1.0), ("3.1415", 3.1415), ("-0.01", -0.01), ("5e+22", 5e+22), ("1e06", 1e6), ("-2E-2", -2e-2),
        ("6.626e-34", 6.626e-34), ("224_617.445_991_228", 224_617.445_991_228), ("0.0", 0.0), ("0e0", 0),
        ("1e1_0", 1e10), ("inf", .infinity), ("+inf", .infinity), ("-inf", -.infinity),
    ])
    func floats(_ toml: String, _ expected: Double) throws {
        #expect(try value(toml) == .float(expected))
    }

    @Test("Should keep the sign of zero and read nan with either sign")
    func specialFloats() throws {
        #expect(try value("-0.0")?.double?.sign == .minus)
        #expect(try value("+0.0")?.double?.sign == .plus)
        for text in ["nan", "+nan", "-nan"] {
            #expect(try value(text)?.double?.isNaN == true, "\(text)")
        }
    }

    @Test("Should read booleans")
    func booleans() throws {
        #expect(try value("true") == .boolean(true))
        #expect(try value("false") == .boolean(false))
    }

    @Test("Should read the four date and time kinds", arguments: [
        ("1979-05-27T07:32:00Z", TOMLValue.offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(7, 32, 0), offsetMinutes: 0))),
        ("1979-05-27t07:32:00z", .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(7, 32, 0), offsetMinutes: 0))),
        ("1979-05-27 07:32:00Z", .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(7, 32, 0), offsetMinutes: 0))),
        ("1979-05-27T00:32:00-07:00", .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(0, 32, 0), offsetMinutes: -420))),
        ("1979-05-27T00:32:00+05:30", .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(0, 32, 0), offsetMinutes: 330))),
        ("1979-05-27T00:32:00.999999-07:00",
         .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(0, 32, 0, 999_999_000), offsetMinutes: -420))),
        ("1979-05-27T00:32:00.123456789123Z",
         .offsetDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(0, 32, 0, 123_456_789), offsetMinutes: 0))),
        ("1979-05-27T07:32:00", .localDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(7, 32, 0), offsetMinutes: nil))),
        ("1979-05-27 07:32:00.5", .localDateTime(TOMLDateTime(date: date(1979, 5, 27), time: time(7, 32, 0, 500_000_000), offsetMinutes: nil))),
        ("1979-05-27", .localDate(date(1979, 5, 27))),
        ("2024-02-29", .localDate(date(2024, 2, 29))),
        ("2000-02-29", .localDate(date(2000, 2, 29))),
        ("1979-12-31", .localDate(date(1979, 12, 31))),
        ("0000-01-01", .localDate(date(0, 1, 1))),
        ("07:32:00", .localTime(time(7, 32, 0))),
        ("00:32:00.999999", .localTime(time(0, 32, 0, 999_999_000))),
        ("23:59:59.000000001", .localTime(time(23, 59, 59, 1))),
    ])
    func dateTimes(_ toml: String, _ expected: TOMLValue) throws {
        #expect(try value(toml) == expected)
    }

    @Test("Should read arrays: mixed kinds, nested, over lines with comments and a trailing comma", arguments: [
        ("[]", TOMLValue.array([])),
        ("[ 1, 2, 3 ]", .array([.integer(1), .integer(2), .integer(3)])),
        ("[1,2,]", .array([.integer(1), .integer(2)])),
        ("[ \"a\", 'b', \"\"\"c\"\"\" ]", .array([.string("a"), .string("b"), .string("c")])),
        ("[ [ 1, 2 ], [\"a\"] ]", .array([.array([.integer(1), .integer(2)]), .array([.string("a")])])),
        ("[ 0.1, 1, \"x\", { a = 1 }, true ]",
         .array([.float(0.1), .integer(1), .string("x"), .table(["a": .integer(1)]), .boolean(true)])),
        ("[\n  1, # one\n  # nothing\n  2\r\n  ,\n]", .array([.integer(1), .integer(2)])),
        ("[\n]", .array([])),
    ])
    func arrays(_ toml: String, _ expected: TOMLValue) throws {
        #expect(try value(toml) == expected)
    }

    @Test("Should read inline tables, nested and with dotted keys", arguments: [
        ("{}", TOMLValue.table([:])),
        ("{ first = \"Tom\", last = \"Preston-Werner\" }", .table(["first": .string("Tom"), "last": .string("Preston-Werner")])),
        ("{ x = 1, y = { z = [1, {a = 2}] } }",
         .table(["x": .integer(1), "y": .table(["z": .array([.integer(1), .table(["a": .integer(2)])])])])),
        ("{ type.name = \"pug\", type.size = 3 }", .table(["type": .table(["name": .string("pug"), "size": .integer(3)])])),
        ("{ a = [\n 1,\n 2 ] }", .table(["a": .array([.integer(1), .integer(2)])])),
    ])
    func inlineTables(_ toml: String, _ expected: TOMLValue) throws {
        #expect(try value(toml) == expected)
    }

    @Test("Should answer each accessor only for its own kind")
    func accessors() throws {
        let offset = TOMLDateTime(date: date(2026, 1, 2), time: time(3, 4, 5), offsetMinutes: 0)
        let local = TOMLDateTime(date: date(2026, 1, 2), time: time(3, 4, 5), offsetMinutes: nil)
        #expect(TOMLValue.string("x").string == "x" && TOMLValue.integer(1).string == nil)
        #expect(TOMLValue.integer(1).int == 1 && TOMLValue.float(1).int == nil)
        #expect(TOMLValue.float(1.5).double == 1.5 && TOMLValue.integer(1).double == nil)
        #expect(TOMLValue.boolean(true).bool == true && TOMLValue.string("true").bool == nil)
        #expect(TOMLValue.array([]).array == [] && TOMLValue.table([:]).array == nil)
        #expect(TOMLValue.table([:]).table == [:] && TOMLValue.array([]).table == nil)
        #expect(TOMLValue.offsetDateTime(offset).dateTime == offset)
        #expect(TOMLValue.localDateTime(local).dateTime == local)
        #expect(TOMLValue.localDate(date(2026, 1, 2)).dateTime == nil)
        #expect(TOMLValue.localDate(date(2026, 1, 2)).date == date(2026, 1, 2))
        #expect(TOMLValue.localTime(time(1, 2, 3)).time == time(1, 2, 3))
        #expect(TOMLValue.localDateTime(local).time == nil, "a date-time's time is not a time of day")
    }
}

@Suite("TOML keys and tables")
struct TOMLTableTests {
    @Test("Should read bare, quoted, literal and dotted keys", arguments: [
        ("key = 1", ["key"]),
        ("bare_key-2 = 1", ["bare_key-2"]),
        ("1234 = 1", ["1234"]),
        ("\"127.0.0.1\" = 1", ["127.0.0.1"]),
        ("\"ʎǝʞ\" = 1", ["ʎǝʞ"]),
        ("'key2' = 1", ["key2"]),
        ("'quoted \"value\"' = 1", ["quoted \"value\""]),
        ("\"\" = 1", [""]),
        ("\"\\u0041\\t\" = 1", ["A\t"]),
        ("physical.color = 1", ["physical", "color"]),
        ("site.\"google.com\" = 1", ["site", "google.com"]),
        ("fruit . flavor\t.\t'x' = 1", ["fruit", "flavor", "x"]),
        ("3.14159 = 1", ["3", "14159"]),
    ])
    func keys(_ toml: String, _ path: [String]) throws {
        var table = try TOMLParser.parse(toml)
        for name in path.dropLast() {
            #expect(table.keys == [name])
            table = try #require(table[name]?.table)
        }
        #expect(table.keys == [path[path.count - 1]])
        #expect(table[path[path.count - 1]] == .integer(1))
    }

    @Test("Should tell keys apart code point by code point, not by canonical equivalence")
    func keysAreNotNormalized() throws {
        let table = try TOMLParser.parse(#""\u00E9" = 1"# + "\n" + #""e\u0301" = 2"#)
        #expect(table.count == 2)
        #expect(table["\u{E9}"] == .integer(1) && table["e\u{301}"] == .integer(2))
        #expect(table.keys.map { Array($0.unicodeScalars) } == [["\u{E9}"], ["e", "\u{301}"]])
    }

    @Test("Should keep keys in the order they were written")
    func order() throws {
        let table = try TOMLParser.parse("zebra = 1\napple = 2\n[mango]\n[banana]\n[[cherry]]\n")
        #expect(table.keys == ["zebra", "apple", "mango", "banana", "cherry"])
    }

    /// Documents and the tables they build.
    static let structures: [(String, TOMLTable)] = [
        ("[a.b.c]\nx = 1\n[a]\ny = 2",
         ["a": .table(["b": .table(["c": .table(["x": .integer(1)])]), "y": .integer(2)])]),
        ("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
         ["fruit": .table(["apple": .table([
             "color": .string("red"), "taste": .table(["sweet": .boolean(true)]), "texture": .table(["smooth": .boolean(true)]),
         ])])]),
        ("[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"delicious\"\n"
            + "[[fruits.varieties]]\nname = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"",
         ["fruits": .array([
             .table(["name": .string("apple"), "physical": .table(["color": .string("red")]),
                     "varieties": .array([.table(["name": .string("delicious")]), .table(["name": .string("granny smith")])])]),
             .table(["name": .string("banana"), "varieties": .array([.table(["name": .string("plantain")])])]),
         ])]),
        ("[[a]]\n[[a]]\n[a.b]\nx = 1", ["a": .array([.table([:]), .table(["b": .table(["x": .integer(1)])])])]),
        ("a.b.c = 1\na.d = 2\n[a.e]\nf = 3",
         ["a": .table(["b": .table(["c": .integer(1)]), "d": .integer(2), "e": .table(["f": .integer(3)])])]),
        ("[a.b.c]\n[a]\nb.d = 1", ["a": .table(["b": .table(["c": .table([:]), "d": .integer(1)])])]),
        ("[ a . \"b c\" ]\nx = 1", ["a": .table(["b c": .table(["x": .integer(1)])])]),
        ("[[ a ]]\nx = 1", ["a": .array([.table(["x": .integer(1)])])]),
        ("# only a comment\n\n   \t\n", [:]),
        ("a = 1 # comment\r\nb = 2\r\n", ["a": .integer(1), "b": .integer(2)]),
        ("a = 1", ["a": .integer(1)]),
        ("a = \"# not a comment\"", ["a": .string("# not a comment")]),
    ]

    @Test("Should build tables from headers, implicit tables, dotted keys and arrays of tables", arguments: structures)
    func structure(_ toml: String, _ expected: TOMLTable) throws {
        #expect(try TOMLParser.parse(toml) == expected)
    }

    @Test("Should add and remove keys through the subscript, keeping the order")
    func subscriptSetter() {
        var table: TOMLTable = ["a": .integer(1), "b": .integer(2)]
        table["c"] = .integer(3)
        table["a"] = .integer(10)
        #expect(table.keys == ["a", "b", "c"])
        table["b"] = nil
        #expect(table.keys == ["a", "c"] && table.count == 2 && table["b"] == nil && table["a"] == .integer(10))
    }
}

@Suite("TOML errors")
struct TOMLErrorTests {
    @Test("Should refuse redefinitions where they are detected", arguments: [
        ("a = 1\na = 2", 2, 1, #"duplicate key "a""#),
        ("a = 1\n\"a\" = 2", 2, 1, #"duplicate key "a""#),
        ("a.b = 1\na.b = 2", 2, 3, #"duplicate key "a.b""#),
        ("[a]\nx = 1\n[a]", 3, 2, "table [a] is defined twice"),
        ("[a.b]\n[a]\n[a]", 3, 2, "table [a] is defined twice"),
        ("a.b = 1\n[a]", 2, 2, "table [a] is already defined by dotted keys"),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 8, "table [fruit.apple] is already defined by dotted keys"),
        ("[a.b]\nx = 1\n[a]\nb.y = 2", 4, 1, #"table "b" is defined by its own header"#),
        ("a = 1\n[a]", 2, 2, #""a" already holds a value, not a table"#),
        ("a = 1\n[a.b]", 2, 2, #""a" already holds a value, not a table"#),
        ("a = 1\na.b = 2", 2, 1, #""a" already holds a value, not a table"#),
        ("a = {b = 1}\na.c = 2", 2, 1, #""a" is an inline table"#),
        ("a = {}\n[a]", 2, 2, #""a" is an inline table"#),
        ("a = {b = {}}\n[a.b.c]", 2, 2, #""a" is an inline table"#),
        ("a = []\n[[a]]", 2, 3, #"[[a]] cannot append to the inline array "a""#),
        ("a = [1]\n[a.b]", 2, 2, #""a" is an inline array"#),
        ("[a]\n[[a]]", 2, 3, "[[a]] cannot add to [a]"),
        ("[[a]]\n[a]", 2, 2, "[a] is an array of tables"),
        ("[[a.b]]\n[a]\nb.c = 1", 3, 1, #""b" is an array of tables"#),
        ("a = {b = 1, b = 2}", 1, 13, #"duplicate key "b""#),
        ("a = {b = {c = 1}, b.d = 2}", 1, 19, #""b" is an inline table"#),
        ("a = {b.c = 1, b = 2}", 1, 15, #"duplicate key "b""#),
    ])
    func redefinitions(_ toml: String, _ line: Int, _ column: Int, _ reason: String) {
        let error = rejection(toml)
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("Should refuse malformed lines, keys and headers", arguments: [
        ("[log\nlevel = 1", 1, 5, #"expected "]" to close the table header"#),
        ("[[log]\nlevel = 1", 1, 6, #"expected "]]" to close the array-of-tables header"#),
        ("[[log] ]", 1, 6, #"expected "]]""#),
        ("[]", 1, 2, "expected a key"),
        ("[a.]", 1, 4, "expected a key"),
        ("[a] b = 1", 1, 5, "expected the end of the line after a table header"),
        ("a 1", 1, 3, #"expected "=" after the key "a""#),
        ("a =", 1, 4, "expected a value, found the end of the file"),
        ("a = \nb = 1", 1, 5, "expected a value, found the end of the line"),
        ("a = 1 2", 1, 7, "expected the end of the line after a value"),
        ("a = 1 b = 2", 1, 7, "expected the end of the line"),
        ("= 1", 1, 1, "expected a key"),
        ("a..b = 1", 1, 3, "expected a key"),
        ("é = 1", 1, 1, "expected a key"),
        ("\"\"\"a\"\"\" = 1", 1, 1, "a key cannot be a multi-line string"),
        ("a = truee", 1, 9, "expected the end of the line"),
        ("a = True", 1, 5, "expected a value"),
        ("a = 1\rb = 2", 1, 6, "a carriage return must be followed by a line feed"),
        ("a = 1 # x\rb", 1, 10, "a carriage return must be followed by a line feed"),
        ("# \u{01}", 1, 3, "control character U+0001 is not allowed in a comment"),
        ("a = 1 # \u{7F}", 1, 9, "control character U+007F is not allowed in a comment"),
        ("a = [1 2]", 1, 8, #"expected "," or "]" after an array element"#),
        ("a = [1,,2]", 1, 8, #"expected a value, found ",""#),
        ("a = [,]", 1, 6, "expected a value"),
        ("a = [1,\n2", 1, 5, #"this array has no closing "]""#),
        ("a = {b = 1,}", 1, 12, "a trailing comma is not allowed in an inline table"),
        ("a = {b = 1,\nc = 2}", 1, 12, "an inline table must be written on one line"),
        ("a = {b = 1\n}", 1, 11, "an inline table must be closed"),
        ("a = {b = 1 c = 2}", 1, 12, #"expected "," or "}" in the inline table"#),
        ("a = {b = 1 # no\n}", 1, 12, #"expected "," or "}""#),
    ])
    func structure(_ toml: String, _ line: Int, _ column: Int, _ reason: String) {
        let error = rejection(toml)
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("Should refuse malformed strings", arguments: [
        ("a = \"\\q\"", 1, 6, #"invalid escape "\q""#),
        ("a = \"\\e\"", 1, 6, #"invalid escape "\e""#),
        ("a = \"\\x41\"", 1, 6, #"invalid escape "\x""#),
        ("a = \"é\\q\"", 1, 7, #"invalid escape "\q""#),
        ("a = \"\\ \"", 1, 6, #"invalid escape "\ ""#),
        ("a = \"\\uD800\"", 1, 6, "U+D800 is not a Unicode scalar value"),
        ("a = \"\\U00110000\"", 1, 6, "U+110000 is not a Unicode scalar value"),
        ("a = \"\\u12G4\"", 1, 6, #"\u must be followed by 4 hexadecimal digits"#),
        ("a = \"\\U1234\"", 1, 6, #"\U must be followed by 8 hexadecimal digits"#),
        ("a = \"abc", 1, 5, "this string has no closing quote"),
        ("a = \"abc\nb = 1", 1, 9, "no closing quote on its line"),
        ("a = 'abc", 1, 5, "this string has no closing apostrophe"),
        ("a = 'a\nb'", 1, 7, "no closing apostrophe on its line"),
        ("a = \"\"\"abc\"\"", 1, 5, "this string has no closing \"\"\""),
        ("a = '''abc", 1, 5, "this string has no closing '''"),
        ("a = \"\"\"abc\"\"\"\"\"\"", 1, 16, "too many quotes"),
        ("a = '''abc''''''", 1, 16, "too many quotes"),
        ("a = \"\"\"a\"\"\"\"b\"\"\"", 1, 13, "expected the end of the line"),
        ("a = \"\u{01}\"", 1, 6, "control character U+0001 must be escaped in a string"),
        ("a = \"\u{7F}\"", 1, 6, "control character U+007F must be escaped"),
        ("a = '\u{1F}'", 1, 6, "control character U+001F must be escaped"),
        ("a = \"\"\"\n\u{0B}\"\"\"", 2, 1, "control character U+000B must be escaped"),
        ("a = '''\nx\ry'''", 2, 2, "a carriage return must be followed by a line feed"),
        ("a = \"\"\"\\\"\"\"", 1, 5, "this string has no closing \"\"\""),
        ("a = \"\"\"\\ x\"\"\"", 1, 8, #"invalid escape "\ ""#),
    ])
    func strings(_ toml: String, _ line: Int, _ column: Int, _ reason: String) {
        let error = rejection(toml)
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("Should refuse malformed numbers", arguments: [
        ("a = 01", "leading zeros are not allowed"),
        ("a = -01", "leading zeros are not allowed"),
        ("a = 00.5", "leading zeros are not allowed"),
        ("a = 1__0", "each underscore must stand between two digits"),
        ("a = _1", "expected a value"),
        ("a = 1_", "each underscore must stand between two digits"),
        ("a = 1_.5", "each underscore must stand between two digits"),
        ("a = 1._5", "each underscore must stand between two digits"),
        ("a = 1e_5", "each underscore must stand between two digits"),
        ("a = 0x_1", "each underscore must stand between two digits"),
        ("a = +0x1", "a sign is not allowed before 0x"),
        ("a = -0b1", "a sign is not allowed before 0x"),
        ("a = 0x", "expected digits"),
        ("a = 0X1F", #""X" is not a decimal digit"#),
        ("a = 0o8", #""8" is not a octal digit"#),
        ("a = 0b102", #""2" is not a binary digit"#),
        ("a = 0xG", #""G" is not a hexadecimal digit"#),
        ("a = 9223372036854775808", "does not fit in a 64-bit integer"),
        ("a = -9223372036854775809", "does not fit in a 64-bit integer"),
        ("a = 0x10000000000000000", "does not fit in a 64-bit integer"),
        ("a = 1.", "a decimal point must be followed by digits"),
        ("a = 1.e5", "a decimal point must be followed by digits"),
        ("a = .5", "expected a value"),
        ("a = +.5", "expected a digit"),
        ("a = 1e", "an exponent must have digits"),
        ("a = 1e+", "an exponent must have digits"),
        ("a = 1.2.3", #"".""#),
        ("a = infinity", "expected a digit"),
        ("a = +nan1", "expected a digit"),
        ("a = 1-2", #""-" is not a decimal digit"#),
    ])
    func numbers(_ toml: String, _ reason: String) {
        let error = rejection(toml)
        #expect(error?.line == 1 && error?.column == 5, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("Should refuse dates and times that are malformed or out of range", arguments: [
        ("a = 2021-02-29", 1, 13, "day 29 does not exist in 2021-02"),
        ("a = 1900-02-29", 1, 13, "day 29 does not exist in 1900-02"),
        ("a = 2024-02-30", 1, 13, "day 30 does not exist in 2024-02"),
        ("a = 2024-04-31", 1, 13, "day 31 does not exist in 2024-04"),
        ("a = 2024-01-00", 1, 13, "day 0 does not exist"),
        ("a = 2021-13-01", 1, 10, "month 13 is not in 1–12"),
        ("a = 2021-00-01", 1, 10, "month 0 is not in 1–12"),
        ("a = 1979-5-27", 1, 11, "expected the 2-digit month"),
        ("a = 1979-05-27T", 1, 16, "expected the 2-digit hour"),
        ("a = 1979-05-27T24:00:00", 1, 16, "hour 24 is not in 00–23"),
        ("a = 07:60:00", 1, 8, "minute 60 is not in 00–59"),
        ("a = 07:00:60", 1, 11, "second 60 is not in 00–59"),
        ("a = 07:00", 1, 10, "seconds are required"),
        ("a = 7:00:00", 1, 6, "expected the end of the line"),
        ("a = 07:00:00.", 1, 14, "a decimal point in a time must be followed by digits"),
        ("a = 1979-05-27T07:32:00+24:00", 1, 24, "offset is not in -23:59 to +23:59"),
        ("a = 1979-05-27T07:32:00+07", 1, 27, #"expected ":" in the offset"#),
        ("a = 1979-05-27T07:32:00Zx", 1, 25, "expected the end of the line"),
        ("a = 07:32:00Z", 1, 13, "expected the end of the line"),
        ("a = 1979-05-27 07:32", 1, 21, "seconds are required"),
    ])
    func dateTimes(_ toml: String, _ line: Int, _ column: Int, _ reason: String) {
        let error = rejection(toml)
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("Should refuse absurdly deep nesting instead of exhausting the stack")
    func depth() throws {
        let deep = String(repeating: "[", count: 101) + String(repeating: "]", count: 101)
        let error = rejection("a = " + deep)
        #expect(error?.reason.contains("nest more than 100 levels deep") == true, "\(String(describing: error))")
        let allowed = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try TOMLParser.parse("a = " + allowed)["a"]?.array?.count == 1)
    }

    @Test("Should describe an error as line:column: reason")
    func description() {
        #expect(TOMLSyntaxError(line: 3, column: 5, reason: "bad").description == "3:5: bad")
    }
}
