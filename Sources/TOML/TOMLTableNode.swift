/// A table while the document is being read: its entries so far and how it came to
/// exist, which is what TOML's redefinition rules depend on.
///
/// It is a class because headers and dotted keys reach back into tables created earlier
/// and change them in place; `build()` turns the finished tree into immutable `TOMLTable`s.
final class TOMLTableNode {
    /// How a table came to exist.
    enum Origin: Equatable {
        /// Created on the way to another table (`a` for `[a.b]`); a later `[a]` may still
        /// define it.
        case implicit
        /// Defined by a `[header]`, or an element of an array of tables; never again.
        case header
        /// Created (or first extended) by dotted keys (`a.b = 1`) in the given section, the
        /// only place more dotted keys may add to it.
        case dotted(section: Int)
    }

    /// One entry of a table under construction.
    enum Entry {
        /// A finished value: a scalar, an inline array or an inline table, all immutable.
        case value(TOMLValue)
        /// A table that headers or dotted keys may still add to.
        case table(TOMLTableNode)
        /// An array of tables (`[[name]]`); further headers append or fill the last one.
        case tables([TOMLTableNode])
    }

    var origin: Origin
    /// The keys in the order they were first written.
    private(set) var keys: [String] = []
    private var entries: [TOMLKeyText: Entry] = [:]

    init(origin: Origin) {
        self.origin = origin
    }

    /// The entry at `name`, or `nil`.
    subscript(name: String) -> Entry? { entries[TOMLKeyText(name)] }

    /// Sets the entry at `name`, adding the key at the end if it is new.
    func set(_ entry: Entry, for name: String) {
        if entries.updateValue(entry, forKey: TOMLKeyText(name)) == nil { keys.append(name) }
    }

    /// The finished table, recursively.
    func build() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            switch entries[TOMLKeyText(key)]! {
            case .value(let value): table[key] = value
            case .table(let node): table[key] = .table(node.build())
            case .tables(let nodes): table[key] = .array(nodes.map { .table($0.build()) })
            }
        }
        return table
    }
}
