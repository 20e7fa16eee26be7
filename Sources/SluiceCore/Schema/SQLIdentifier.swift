/// Names as sluice writes them into generated SQL: bare when SQLite would read them back
/// as the same name, in double quotes otherwise, so a generated revision is as readable as
/// a hand-written one and still right for a column called `order` or `first name`.
public enum SQLIdentifier {
    /// `name` ready to splice into a statement.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// `name` bare when that is safe, quoted otherwise.
    public static func written(_ name: String) -> String {
        isPlain(name) ? name : quoted(name)
    }

    /// Whether `name` reads back as itself without quotes: letters, digits and `_`, not
    /// starting with a digit, and not one of SQLite's keywords.
    public static func isPlain(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        let simple = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f
        }
        return simple && !keywords.contains(SQLToken.lowercased(name))
    }

    /// SQLite's keywords (https://sqlite.org/lang_keywords.html), lower case.
    static let keywords: Set<String> = [
        "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as", "asc", "attach",
        "autoincrement", "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
        "commit", "conflict", "constraint", "create", "cross", "current", "current_date", "current_time",
        "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc", "detach", "distinct",
        "do", "drop", "each", "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain", "fail",
        "filter", "first", "following", "for", "foreign", "from", "full", "generated", "glob", "group", "groups",
        "having", "if", "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
        "intersect", "into", "is", "isnull", "join", "key", "last", "left", "like", "limit", "match", "materialized",
        "natural", "no", "not", "nothing", "notnull", "null", "nulls", "of", "offset", "on", "or", "order", "others",
        "outer", "over", "partition", "plan", "pragma", "preceding", "primary", "query", "raise", "range",
        "recursive", "references", "regexp", "reindex", "release", "rename", "replace", "restrict", "returning",
        "right", "rollback", "row", "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then",
        "ties", "to", "transaction", "trigger", "unbounded", "union", "unique", "update", "using", "vacuum",
        "values", "view", "virtual", "when", "where", "window", "with", "without",
    ]
}
