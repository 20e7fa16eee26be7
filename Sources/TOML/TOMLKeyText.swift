/// A key's text compared code point by code point, as TOML compares keys.
///
/// Swift's `String` equality treats canonically equivalent text as equal (`"é"` and
/// `"e\u{301}"`), which would make two distinct TOML keys collide as a "duplicate";
/// tables index their entries by this wrapper instead.
struct TOMLKeyText: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: TOMLKeyText, rhs: TOMLKeyText) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
