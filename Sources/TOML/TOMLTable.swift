/// A TOML table: keys in the order the document first wrote them, each with its value.
///
/// The order is kept so that anything listing a table's keys (the unknown-key check,
/// dumps, tests) is stable; equality compares it too, because two tables built from the
/// same text always agree on it.
public struct TOMLTable: Equatable, Sendable {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    /// The values, by key, compared code point by code point.
    private var values: [TOMLKeyText: TOMLValue] = [:]

    /// An empty table.
    public init() {}

    /// The value at `key`, or `nil` when the table does not have it. Setting a new key
    /// appends it to `keys`; setting `nil` removes it.
    public subscript(key: String) -> TOMLValue? {
        get { values[TOMLKeyText(key)] }
        set {
            let indexed = TOMLKeyText(key)
            if let newValue {
                if values.updateValue(newValue, forKey: indexed) == nil { keys.append(key) }
            } else if values.removeValue(forKey: indexed) != nil {
                keys.removeAll { TOMLKeyText($0) == indexed }
            }
        }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// Whether the table has no keys.
    public var isEmpty: Bool { keys.isEmpty }
}

/// Tables written as literals, mainly for tests: `["a": .integer(1), "b": .string("x")]`
/// keeps the written order.
extension TOMLTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        self.init()
        for (key, value) in elements {
            precondition(self[key] == nil, "duplicate key \"\(key)\" in a TOMLTable literal")
            self[key] = value
        }
    }
}
