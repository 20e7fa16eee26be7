/// An optional member of a `--json` report that is written as `null` when it has no
/// value, where `JSONEncoder` would leave the key out: scripts read these keys (a
/// revision's `create_date`, an always-open window's `start`) as always present.
@propertyWrapper
struct NullWhenNil<Value: Encodable>: Encodable {
    /// The value, or `nil` for `null`.
    var wrappedValue: Value?

    /// Wraps `wrappedValue`.
    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    /// Writes the value, or `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
