/// An `ALTER TABLE … RENAME` statement, read from its tokens: what tells the
/// destructive-change check that a table or column that is gone under its old name was
/// renamed, not dropped.
public enum AlterTableRename: Sendable, Equatable {
    /// `ALTER TABLE from RENAME TO to`; names lower-cased.
    case table(from: String, to: String)
    /// `ALTER TABLE table RENAME [COLUMN] from TO to`; names lower-cased.
    case column(table: String, from: String, to: String)

    /// Reads `sql`; `nil` for any other statement.
    public init?(sql: String) {
        let tokens = SQLTokenizer.tokens(sql).filter { $0.text != ";" }
        guard tokens.count >= 6, tokens[0].isKeyword("alter"), tokens[1].isKeyword("table") else { return nil }
        var index = 2
        if index + 2 < tokens.count, tokens[index + 1].text == "." { index += 2 }
        guard let table = tokens[index].name, index + 1 < tokens.count, tokens[index + 1].isKeyword("rename") else { return nil }
        let rest = Array(tokens[(index + 2)...])
        if rest.count == 2, rest[0].isKeyword("to"), let new = rest[1].name {
            self = .table(from: table, to: new)
            return
        }
        let names = rest.first?.isKeyword("column") == true ? Array(rest.dropFirst()) : rest
        guard names.count == 3, let old = names[0].name, names[1].isKeyword("to"), let new = names[2].name else { return nil }
        self = .column(table: table, from: old, to: new)
    }

    /// Where each table and column of the schema before `renames` ended up: table (lower
    /// case) → its final name (lower case), and per table its columns' final names.
    public static func follow(_ renames: [AlterTableRename]) -> (tables: [String: String], columns: [String: [String: String]]) {
        var tables: [String: String] = [:]
        var columns: [String: [String: String]] = [:]
        func original(of current: String) -> String {
            tables.first { $0.value == current }?.key ?? current
        }
        for rename in renames {
            switch rename {
            case .table(let from, let to):
                let start = original(of: from)
                tables[start] = to
            case .column(let table, let from, let to):
                let start = original(of: table)
                if tables[start] == nil { tables[start] = table }
                let first = columns[start]?.first { $0.value == from }?.key ?? from
                columns[start, default: [:]][first] = to
            }
        }
        return (tables, columns)
    }
}
