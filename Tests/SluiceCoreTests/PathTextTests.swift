import Foundation
import SluiceCore
import Testing

/// Paths given on the command line and in the configuration resolve as
/// `URL.standardizedFileURL` would, and names split as `NSString`'s path methods split them.
@Suite("Path text")
struct PathTextTests {
    @Test("relative, absolute, dot segments and repeated slashes", arguments: [
        ("app.db", "/srv/app", "/srv/app/app.db"),
        ("../var/app.db", "/srv/app/config", "/srv/app/var/app.db"),
        ("./a//b/./c", "/x", "/x/a/b/c"),
        ("/abs/../other/db", "/ignored", "/other/db"),
        ("../../../..", "/a/b", "/"),
        ("x/../..y/.../.z/", "/ü/ß", "/ü/ß/..y/.../.z"),
        ("/", "/ignored", "/"),
        ("a/b/../../../../c", "/", "/c"),
    ])
    func resolves(_ input: (String, String, String)) {
        #expect(PathText.resolve(input.0, relativeTo: input.1) == input.2)
        let viaURL = URL(fileURLWithPath: input.0, relativeTo: URL(fileURLWithPath: input.1, isDirectory: true)).standardizedFileURL.path
        #expect(PathText.resolve(input.0, relativeTo: input.1) == viaURL)
    }

    @Test("parent, last component and extension, as NSString splits them", arguments: [
        "/srv/app/app.db", "app.db", "/app.db", "/srv/app/", "/srv/app.backup.db", "/srv/.hidden", "a/b/c",
    ])
    func splits(_ path: String) {
        let ns = path as NSString
        #expect(PathText.lastComponent(of: path) == ns.lastPathComponent)
        let parent = ns.deletingLastPathComponent
        #expect(PathText.parent(of: path) == (parent.isEmpty ? "." : parent))
        let name = ns.lastPathComponent as NSString
        #expect(PathText.deletingExtension(of: name as String) == name.deletingPathExtension)
    }

    @Test("joins with exactly one slash")
    func joins() {
        #expect(PathText.join("/srv/backups", "a.db") == "/srv/backups/a.db")
        #expect(PathText.join("/srv/backups/", "a.db") == "/srv/backups/a.db")
        #expect(PathText.join("", "a.db") == "a.db")
    }
}
