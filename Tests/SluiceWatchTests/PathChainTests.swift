import Foundation
import Glibc
import SluiceTestSupport
import Testing
@testable import SluiceWatch

/// Walking a configured path as the kernel does, on real directories and links.
@Suite("The way to the versions directory")
struct PathChainTests {
    private static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    @Test("symbolic links on the way are followed; what is watched starts at the first one")
    func followsLinks() throws {
        let directory = TemporaryDirectory(prefix: "sluice-chain")
        directory.write("releases/r1/migrations/versions/keep", "")
        #expect(symlink("releases/r1", directory.url("current")) == 0)
        let base = try #require(Self.real(directory.path))
        let chain = PathChain.resolve(base + "/current/migrations/versions")
        #expect(chain.resolved == base + "/releases/r1/migrations/versions")
        #expect(chain.watched.map(\.name) == ["current", "releases", "r1", "migrations", "versions"])
        #expect(chain.watched.first?.directory == base && chain.watched.first?.isSymlink == true)
    }

    @Test("a plain path watches only its parent; a missing or looping one resolves to nothing")
    func plainMissingLoop() throws {
        let directory = TemporaryDirectory(prefix: "sluice-chain")
        directory.write("versions/keep", "")
        let base = try #require(Self.real(directory.path))
        let plain = PathChain.resolve(base + "/versions")
        #expect(plain.resolved == base + "/versions")
        #expect(plain.watched == [PathChain.Link(directory: base, name: "versions")])
        #expect(PathChain.resolve(base + "/missing/versions").resolved == nil)
        #expect(symlink("loop", directory.url("loop")) == 0)
        #expect(PathChain.resolve(base + "/loop").resolved == nil)
    }
}
