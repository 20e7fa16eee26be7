import Foundation
import SluiceTestSupport
import Testing

/// `sluice --version` says which build runs: the release and the git revision.
@Suite("sluice --version")
struct VersionTests {
    @Test("--version names the release and a commit of this repository")
    func namesTheRevision() throws {
        let result = try SluiceBinary.run(["--version"])
        #expect(result.status == 0)
        let text = result.stdout.trimmingCharacters(in: .newlines)
        #expect(text.hasPrefix("0.1.0 ("), "\(text)")
        let revision = text.dropFirst("0.1.0 (".count).dropLast().replacingOccurrences(of: "-dirty", with: "")
        #expect(revision.count == 12 && revision.allSatisfy(\.isHexDigit), "\(text)")
        let git = try SluiceBinary.runProgram("/usr/bin/git", ["-C", CLITests.root, "cat-file", "-e", "\(revision)^{commit}"])
        #expect(git.status == 0, "\(revision) is no commit of \(CLITests.root): \(git.stderr)")
    }
}
