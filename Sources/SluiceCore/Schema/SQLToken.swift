/// One token of an SQL statement, as SQLite's tokenizer would cut it, with where it
/// stands in the text: what the schema diff compares (tokens, not bytes, so spacing,
/// comments and the case of keywords never count as a change) and what it edits (a
/// table's name, a renamed column).
public struct SQLToken: Sendable, Equatable {
    /// What kind of token it is.
    public enum Kind: Sendable, Equatable {
        /// A bare word: a keyword or an unquoted identifier.
        case word
        /// An identifier in `"…"`, `[…]` or `` `…` ``.
        case quotedIdentifier
        /// A string literal in `'…'`.
        case string
        /// A number, a blob literal (`x'00'`) or a parameter (`?1`, `:name`).
        case literal
        /// An operator or punctuation: `(`, `,`, `||`, `<=` …
        case symbol
    }

    /// What kind of token it is.
    public let kind: Kind
    /// The token's text as written.
    public let text: String
    /// Where the token starts and ends in the statement, as UTF-8 offsets.
    public let range: Range<Int>

    /// Creates a token.
    public init(kind: Kind, text: String, range: Range<Int>) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    /// For a word or quoted identifier, the name it stands for, ASCII lower-cased
    /// (SQLite compares names without regard to ASCII case); `nil` for other tokens.
    public var name: String? {
        switch kind {
        case .word: return Self.lowercased(text)
        case .quotedIdentifier: return Self.lowercased(Self.unquote(text))
        default: return nil
        }
    }

    /// Whether the token is the keyword `word` (given in lower case).
    public func isKeyword(_ word: String) -> Bool { kind == .word && Self.lowercased(text) == word }

    /// The token as compared: names lower-cased and unquoted when they need no quotes,
    /// everything else as written.
    public var canonical: String {
        guard let name else { return text }
        return SQLIdentifier.isPlain(name) ? name : SQLIdentifier.quoted(name)
    }

    /// The text inside the quotes of a quoted identifier, with doubled quotes undone.
    static func unquote(_ text: String) -> String {
        guard let first = text.first, text.count >= 2 else { return text }
        let inner = String(text.dropFirst().dropLast())
        switch first {
        case "\"": return inner.replacing("\"\"", with: "\"")
        case "`": return inner.replacing("``", with: "`")
        default: return inner
        }
    }

    /// ASCII lower case, as SQLite folds names.
    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
