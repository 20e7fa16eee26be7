/// TOML's rules for who may define or extend a table, applied as headers and key/value
/// pairs arrive (TOML 1.0.0, "Table", "Inline Table", "Array of Tables"):
///
/// - a key is set once;
/// - a table is defined once, by a header or by dotted keys, and a header may define a
///   table that so far only existed on the way to another (`[a]` after `[a.b]`);
/// - dotted keys may extend only tables they created themselves within the same section
///   (the lines under one header, or one inline table);
/// - inline tables and inline arrays are complete as written;
/// - `[[name]]` appends to an array of tables, never to an inline array.
extension TOMLTableNode {
    /// Sets `path = value` in this table (the current section's table, or an inline
    /// table), creating the tables of a dotted key on the way.
    func assign(_ value: TOMLValue, to path: [TOMLKey], section: Int) throws(TOMLRuleViolation) {
        var table = self
        for index in path.indices.dropLast() {
            let key = path[index]
            let prefix = Array(path[...index])
            switch table[key.name] {
            case nil:
                let child = TOMLTableNode(origin: .dotted(section: section))
                table.set(.table(child), for: key.name)
                table = child
            case .table(let child):
                switch child.origin {
                case .implicit:
                    child.origin = .dotted(section: section)
                case .dotted(let created) where created == section:
                    break
                case .dotted:
                    throw TOMLRuleViolation(reason: "table \(prefix.quoted) was defined by dotted keys under another header "
                        + "and cannot be extended here", offset: key.offset)
                case .header:
                    throw TOMLRuleViolation(reason: "table \(prefix.quoted) is defined by its own header and cannot be "
                        + "extended with dotted keys", offset: key.offset)
                }
                table = child
            case .tables:
                throw TOMLRuleViolation(reason: "\(prefix.quoted) is an array of tables and cannot be extended with dotted keys",
                                        offset: key.offset)
            case .value(let existing):
                throw Self.notATable(existing, prefix, at: key)
            }
        }
        let last = path[path.count - 1]
        guard table[last.name] == nil else {
            throw TOMLRuleViolation(reason: "duplicate key \(path.quoted)", offset: last.offset)
        }
        table.set(.value(value), for: last.name)
    }

    /// Defines the table of a `[path]` header in this (root) table and returns it.
    func defineTable(_ path: [TOMLKey]) throws(TOMLRuleViolation) -> TOMLTableNode {
        let parent = try walk(path.dropLast())
        let last = path[path.count - 1]
        switch parent[last.name] {
        case nil:
            let table = TOMLTableNode(origin: .header)
            parent.set(.table(table), for: last.name)
            return table
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                return table
            case .header:
                throw TOMLRuleViolation(reason: "table [\(path.written)] is defined twice", offset: last.offset)
            case .dotted:
                throw TOMLRuleViolation(reason: "table [\(path.written)] is already defined by dotted keys",
                                        offset: last.offset)
            }
        case .tables:
            throw TOMLRuleViolation(reason: "[\(path.written)] is an array of tables; write [[\(path.written)]] to add "
                + "a table to it", offset: last.offset)
        case .value(let existing):
            throw Self.notATable(existing, path, at: last)
        }
    }

    /// Appends a new table for a `[[path]]` header in this (root) table and returns it.
    func appendTable(_ path: [TOMLKey]) throws(TOMLRuleViolation) -> TOMLTableNode {
        let parent = try walk(path.dropLast())
        let last = path[path.count - 1]
        let table = TOMLTableNode(origin: .header)
        switch parent[last.name] {
        case nil:
            parent.set(.tables([table]), for: last.name)
        case .tables(let tables):
            parent.set(.tables(tables + [table]), for: last.name)
        case .table:
            throw TOMLRuleViolation(reason: "[[\(path.written)]] cannot add to [\(path.written)], which is a table, "
                + "not an array of tables", offset: last.offset)
        case .value(.array):
            throw TOMLRuleViolation(reason: "[[\(path.written)]] cannot append to the inline array \(path.quoted); "
                + "an array written as a value is complete", offset: last.offset)
        case .value(let existing):
            throw Self.notATable(existing, path, at: last)
        }
        return table
    }

    /// The table a header's leading keys lead to, creating missing ones; an array of
    /// tables leads to its last element.
    private func walk(_ keys: ArraySlice<TOMLKey>) throws(TOMLRuleViolation) -> TOMLTableNode {
        var table = self
        for index in keys.indices {
            let key = keys[index]
            switch table[key.name] {
            case nil:
                let child = TOMLTableNode(origin: .implicit)
                table.set(.table(child), for: key.name)
                table = child
            case .table(let child):
                table = child
            case .tables(let children):
                table = children[children.count - 1]
            case .value(let existing):
                throw Self.notATable(existing, Array(keys[...index]), at: key)
            }
        }
        return table
    }

    /// The error for using a key that holds a value as if it were a table.
    private static func notATable(_ existing: TOMLValue, _ path: [TOMLKey], at key: TOMLKey) -> TOMLRuleViolation {
        let reason = switch existing {
        case .table: "\(path.quoted) is an inline table, which is complete as written and cannot be extended"
        case .array: "\(path.quoted) is an inline array, not a table"
        default: "\(path.quoted) already holds a value, not a table"
        }
        return TOMLRuleViolation(reason: reason, offset: key.offset)
    }
}
