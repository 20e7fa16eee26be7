import Foundation
import SluiceCore
@testable import sluice
import Testing

/// Paths given on the command line resolve as `URL.standardizedFileURL` would.
@Suite("Lexical paths")
struct LexicalPathTests {
    @Test("relative, absolute, dot segments and repeated slashes", arguments: [
        ("app.db", "/srv/app", "/srv/app/app.db"),
        ("../var/app.db", "/srv/app/config", "/srv/app/var/app.db"),
        ("./a//b/./c", "/x", "/x/a/b/c"),
        ("/abs/../other/db", "/ignored", "/other/db"),
        ("../../../..", "/a/b", "/"),
    ])
    func resolves(_ input: (String, String, String)) {
        #expect(PathText.resolve(input.0, relativeTo: input.1) == input.2)
        let viaURL = URL(fileURLWithPath: input.0, relativeTo: URL(fileURLWithPath: input.1, isDirectory: true)).standardizedFileURL.path
        #expect(PathText.resolve(input.0, relativeTo: input.1) == viaURL)
    }
}
