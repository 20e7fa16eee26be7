/// One field of a native journal entry, kept as a name and a value until it is sent,
/// so the field-building function can be tested without a journal.
public struct JournalField: Sendable, Equatable, CustomStringConvertible {
    /// A valid journal field name (`MESSAGE`, `SLUICE_REVISION_ID`, …).
    public let name: String
    /// The value; may hold newlines, which `JournalNativeEntry` sends in the protocol's
    /// length-prefixed form.
    public let value: String

    /// Pairs a name with a value.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `NAME=value`, as `journalctl -o verbose` shows it.
    public var description: String { "\(name)=\(value)" }
}
