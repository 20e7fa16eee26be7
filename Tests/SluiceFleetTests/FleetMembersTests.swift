import Foundation
import SluiceFleet
import SluiceTestSupport
import Testing

/// The members of a glob, on a real directory.
@Suite("Fleet members")
struct FleetMembersTests {
    @Test("regular files matching the pattern, by name; SQLite's and sluice's side files, dotfiles, directories and symlinks never")
    func listing() throws {
        let directory = TemporaryDirectory(prefix: "sluice-fleet")
        for name in ["b.db", "a.db", "a.db-journal", "a.db-wal", "a.db-shm", "a.db.sluice-lock", "a.db.sluice-memo", ".hidden.db", "notes.txt"] {
            directory.write("tenants/\(name)", "x")
        }
        try FileManager.default.createDirectory(atPath: directory.url("tenants/dir.db"), withIntermediateDirectories: true)
        symlink(directory.url("tenants/a.db"), directory.url("tenants/link.db"))
        let members = try FleetMembers.list(glob: directory.url("tenants/*.db"))
        #expect(members.map(\.name) == ["a.db", "b.db"])
        #expect(members[0].path == directory.url("tenants/a.db"))
        #expect(try FleetMembers.list(glob: directory.url("tenants/*")).map(\.name) == ["a.db", "b.db", "notes.txt"])
        #expect(throws: (any Error).self) { try FleetMembers.list(glob: directory.url("missing/*.db")) }
    }

    @Test("selection by file name, by name without the extension, or by glob")
    func selection() throws {
        let members = ["acme.db", "acorn.db", "beta.db"].map { FleetMember(name: $0, path: "/t/\($0)") }
        #expect(try FleetMembers.select(members, ["acme"]).map(\.name) == ["acme.db"])
        #expect(try FleetMembers.select(members, ["beta.db"]).map(\.name) == ["beta.db"])
        #expect(try FleetMembers.select(members, ["ac*"]).map(\.name) == ["acme.db", "acorn.db"])
        #expect(throws: FleetMembers.SelectionError.self) { try FleetMembers.select(members, ["gamma"]) }
    }
}
