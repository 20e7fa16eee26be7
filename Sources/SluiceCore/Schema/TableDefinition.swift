/// A `CREATE TABLE` statement cut into what the schema diff reasons about: its column
/// definitions and table constraints, each as tokens, and its options. SQLite keeps no
/// per-column text (the pragmas give facts, not definitions), and the column text is what
/// `ALTER TABLE ADD COLUMN` needs and what tells a changed constraint from an unchanged
/// one.
public struct TableDefinition: Sendable, Equatable {
    /// One column definition: `email TEXT NOT NULL DEFAULT ''`.
    public struct Column: Sendable, Equatable {
        /// The column's name, lower-cased (the key it is compared by).
        public var key: String { tokens[0].name ?? "" }
        /// The column's name as written, unquoted.
        public var name: String { tokens[0].kind == .quotedIdentifier ? SQLToken.unquote(tokens[0].text) : tokens[0].text }
        /// The definition's tokens, the name first.
        public var tokens: [SQLToken]
        /// The definition as written in the statement.
        public var text: String
    }

    /// The table's name as written, unquoted.
    public let name: String
    /// The column definitions, in order.
    public var columns: [Column]
    /// The table constraints (`PRIMARY KEY (…)`, `UNIQUE (…)`, `CHECK (…)`,
    /// `FOREIGN KEY …`), each as its tokens.
    public var constraints: [[SQLToken]]
    /// What follows the closing parenthesis (`WITHOUT ROWID`, `STRICT`), as tokens.
    public var options: [SQLToken]
    /// The statement's tokens.
    public let tokens: [SQLToken]
    /// The index in `tokens` of the table's name.
    public let nameTokenIndex: Int

    /// Parses a `CREATE TABLE` statement as `sqlite_master` keeps it; `nil` for what is
    /// not an ordinary table with a column list (a virtual table, `CREATE TABLE … AS`).
    public init?(sql: String) {
        let tokens = SQLTokenizer.tokens(sql)
        var index = 0
        func skip(_ word: String) -> Bool {
            guard index < tokens.count, tokens[index].isKeyword(word) else { return false }
            index += 1
            return true
        }
        guard skip("create") else { return nil }
        _ = skip("temp") || skip("temporary")
        guard skip("table") else { return nil }
        if skip("if") { guard skip("not"), skip("exists") else { return nil } }
        guard index < tokens.count, tokens[index].name != nil else { return nil }
        if index + 2 < tokens.count, tokens[index + 1].text == "." { index += 2 }
        nameTokenIndex = index
        let nameToken = tokens[index]
        name = nameToken.kind == .quotedIdentifier ? SQLToken.unquote(nameToken.text) : nameToken.text
        index += 1
        guard index < tokens.count, tokens[index].text == "(" else { return nil }
        var parts: [[SQLToken]] = [[]]
        var depth = 0
        index += 1
        while index < tokens.count {
            let token = tokens[index]
            if token.text == "(" { depth += 1 }
            if token.text == ")" {
                if depth == 0 { break }
                depth -= 1
            }
            if token.text == "," && depth == 0 { parts.append([]) } else { parts[parts.count - 1].append(token) }
            index += 1
        }
        guard index < tokens.count else { return nil }
        options = Array(tokens[(index + 1)...])
        self.tokens = tokens
        var columns: [Column] = []
        var constraints: [[SQLToken]] = []
        let constraintStarts: Set<String> = ["constraint", "primary", "unique", "check", "foreign"]
        let bytes = Array(sql.utf8)
        for part in parts where !part.isEmpty {
            if part[0].kind == .word, constraintStarts.contains(SQLToken.lowercased(part[0].text)) {
                constraints.append(part)
            } else {
                let text = String(decoding: bytes[part.first!.range.lowerBound..<part.last!.range.upperBound], as: UTF8.self)
                columns.append(Column(tokens: part, text: text))
            }
        }
        guard !columns.isEmpty else { return nil }
        self.columns = columns
        self.constraints = constraints
    }

    /// The column named `key` (lower case), if any.
    public func column(_ key: String) -> Column? { columns.first { $0.key == key } }

    /// The definition as compared: columns, constraints and options in canonical tokens,
    /// without the table's own name.
    public var canonicalBody: String {
        let columnText = columns.map { Self.canonical($0.tokens) }
        let constraintText = constraints.map { Self.canonical($0) }
        return (columnText + constraintText).joined(separator: ", ") + " | " + Self.canonical(options)
    }

    /// Tokens joined in their canonical spelling.
    public static func canonical(_ tokens: [SQLToken]) -> String { tokens.map(\.canonical).joined(separator: " ") }

    /// The statement with the table's name replaced by `newName`: the new table of a
    /// rebuild.
    public func sql(named newName: String, from original: String) -> String {
        let bytes = Array(original.utf8)
        let range = tokens[nameTokenIndex].range
        // A schema-qualified name (`main.t`) loses its qualifier with it.
        let start = nameTokenIndex >= 2 && tokens[nameTokenIndex - 1].text == "." ? tokens[nameTokenIndex - 2].range.lowerBound : range.lowerBound
        return String(decoding: bytes[..<start], as: UTF8.self) + SQLIdentifier.written(newName) + String(decoding: bytes[range.upperBound...], as: UTF8.self)
    }
}
