/// SQLite's rules for changing a column in place (https://sqlite.org/lang_altertable.html):
/// what `ADD COLUMN` and `DROP COLUMN` accept. What they refuse goes through the
/// table rebuild instead.
extension TableDefinition.Column {
    /// The lower-cased words of the definition after the name.
    private var words: [String] { tokens.dropFirst().compactMap { $0.kind == .word ? SQLToken.lowercased($0.text) : nil } }

    /// Whether `ALTER TABLE … ADD COLUMN` accepts this definition: no `PRIMARY KEY` or
    /// `UNIQUE`, no stored generated value, a default that is a constant (not
    /// `CURRENT_TIMESTAMP` or an expression in parentheses), a non-NULL default when it is
    /// `NOT NULL`, and no default but NULL on a foreign key.
    public var canBeAdded: Bool {
        let words = self.words
        if words.contains("primary") || words.contains("unique") || words.contains("stored") { return false }
        var defaultValue: SQLToken?
        if let at = tokens.firstIndex(where: { $0.isKeyword("default") }) {
            guard at + 1 < tokens.count else { return false }
            var value = tokens[at + 1]
            if value.text == "+" || value.text == "-", at + 2 < tokens.count { value = tokens[at + 2] }
            if value.text == "(" { return false }
            if ["current_time", "current_date", "current_timestamp"].contains(value.name ?? "") { return false }
            defaultValue = value
        }
        let defaultIsNull = defaultValue.map { $0.isKeyword("null") } ?? true
        if hasNotNull && defaultIsNull { return false }
        if words.contains("references") && !defaultIsNull { return false }
        return true
    }

    /// Whether the definition says `NOT NULL`.
    var hasNotNull: Bool {
        zip(tokens, tokens.dropFirst()).contains { $0.isKeyword("not") && $1.isKeyword("null") }
    }

    /// Whether `ALTER TABLE … DROP COLUMN` can drop this column from `table`: it is not
    /// part of a key, unique, a foreign key or generated, and no other column or table
    /// constraint names it. (Indexes, views and triggers that name it are dropped before.)
    public func canBeDropped(from table: TableDefinition) -> Bool {
        let words = self.words
        if ["primary", "unique", "references", "generated", "as"].contains(where: words.contains) { return false }
        if table.columns.count < 2 { return false }
        for other in table.columns where other.key != key {
            if other.tokens.dropFirst().contains(where: { $0.name == key }) { return false }
        }
        return !table.constraints.contains { $0.contains { $0.name == key } }
    }
}
