import SluiceCore
import Testing

/// `JoinedText.join` gives what the standard library's `joined(separator:)` gives.
@Suite("Joined text")
struct JoinedTextTests {
    @Test("Should join as joined(separator:) does", arguments: [[String](), ["a"], ["a", "b"], ["", "", ""], ["ü", "r1", "ß x"]])
    func joins(_ parts: [String]) {
        #expect(JoinedText.join(parts, separator: ", ") == parts.joined(separator: ", "))
        #expect(JoinedText.join(parts, separator: "") == parts.joined())
    }
}
