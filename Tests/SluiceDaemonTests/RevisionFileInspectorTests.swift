import Foundation
import Glibc
import SluiceCore
@testable import SluiceDaemon
import SluiceTestSupport
import Testing

/// The daemon's scan reads a large versions directory on several threads: it must give
/// the same entries, in the same order, with the same verdicts as inspecting the files
/// one by one, and its cache must notice every change. Real files in a real directory.
@Suite("Revision file inspector: scanning many files")
struct RevisionFileInspectorTests {
    /// 400 revisions (enough for the scan to use its threads), a malformed one, a
    /// world-writable one, a link inside the directory and one leaving it, and a
    /// sub-folder with a revision file's name.
    static func populate(_ directory: TemporaryDirectory) throws -> String {
        let versions = directory.url("versions")
        try FileManager.default.createDirectory(atPath: versions + "/folder.sql", withIntermediateDirectories: true)
        for index in 0..<400 {
            let id = String(format: "r%04d", index)
            directory.write("versions/\(id).sql", RevisionText.make(id, revises: index == 0 ? [] : [String(format: "r%04d", index - 1)],
                                                                   upgrade: "INSERT INTO t VALUES (\(index));", downgrade: "DELETE FROM t WHERE n = \(index);"))
            chmod(versions + "/\(id).sql", 0o644)
        }
        directory.write("versions/r0150_bad.sql", "-- no header\nSELECT 1;\n")
        chmod(versions + "/r0150_bad.sql", 0o644)
        directory.write("versions/r0200_open.sql", RevisionText.make("open", revises: ["r0199"], upgrade: "SELECT 1;", downgrade: "SELECT 1;"))
        chmod(versions + "/r0200_open.sql", 0o666)
        directory.write("outside.sql", RevisionText.make("outside", revises: ["r0001"], upgrade: "SELECT 1;", downgrade: "SELECT 1;"))
        symlink(versions + "/r0003.sql", versions + "/r0003_link.sql")
        symlink(directory.url("outside.sql"), versions + "/r0004_escape.sql")
        return versions
    }

    static func summary(_ outcome: RevisionFileInspector.Outcome?) -> String {
        switch outcome {
        case .revision(let revision): "revision \(revision.id) \(revision.checksum)"
        case .rejected(let error): "rejected \(error)"
        case nil: "none"
        }
    }

    @Test("Should find what inspecting each file alone finds, in name order, strict or not")
    func sameAsOneByOne() throws {
        let directory = TemporaryDirectory(prefix: "sluice-inspector")
        let versions = try Self.populate(directory)
        for strict in [false, true] {
            let entries = RevisionFileInspector(strictPermissions: strict).scan(versions)
            let names = try FileManager.default.contentsOfDirectory(atPath: versions).filter { $0.hasSuffix(".sql") && $0 != "folder.sql" }.sorted()
            #expect(entries.map(\.name) == names)
            let single = RevisionFileInspector(strictPermissions: strict)
            for entry in entries {
                #expect(Self.summary(entry.outcome) == Self.summary(single.inspect(entry.path, root: RevisionFileInspector.realPath(versions))), "\(entry.name)")
            }
            let rejected = entries.filter { if case .rejected = $0.outcome { true } else { false } }.map(\.name)
            #expect(rejected == (strict ? ["r0004_escape.sql", "r0150_bad.sql", "r0200_open.sql"] : ["r0150_bad.sql"]))
        }
    }

    @Test("Should load what reading each file alone reads, in name order, as the commands do")
    func loadSameAsOneByOne() throws {
        let directory = TemporaryDirectory(prefix: "sluice-load")
        let versions = try Self.populate(directory)
        let loaded = try VersionsDirectory.load(versions)
        let names = try FileManager.default.contentsOfDirectory(atPath: versions).filter { $0.hasSuffix(".sql") && $0 != "folder.sql" }.sorted()
        var revisions: [String] = []
        var errors: [String] = []
        for name in names {
            switch VersionsDirectory.readRevisionFile(versions + "/" + name, followLinks: true) {
            case .success(let revision): revisions.append("\(revision.path) \(revision.id) \(revision.checksum)")
            case .failure(let error): errors.append("\(error)")
            case .none: continue
            }
        }
        #expect(loaded.revisions.map { "\($0.path) \($0.id) \($0.checksum)" } == revisions)
        #expect(loaded.errors.map { "\($0)" } == errors)
        #expect(revisions.count == 403 && errors.count == 1, "\(revisions.count) \(errors)")
    }

    @Test("Should see a changed, a removed and a new file on the next scan, and nothing else")
    func cacheFollowsChanges() throws {
        let directory = TemporaryDirectory(prefix: "sluice-inspector")
        let versions = try Self.populate(directory)
        let inspector = RevisionFileInspector(strictPermissions: true)
        let before = Dictionary(uniqueKeysWithValues: inspector.scan(versions).map { ($0.name, Self.summary($0.outcome)) })
        directory.write("versions/r0010.sql", RevisionText.make("r0010", revises: ["r0009"], upgrade: "INSERT INTO t VALUES (-10);", downgrade: "SELECT 1;"))
        chmod(versions + "/r0200_open.sql", 0o644)
        unlink(versions + "/r0020.sql")
        directory.write("versions/r0400.sql", RevisionText.make("r0400", revises: ["r0399"], upgrade: "SELECT 1;", downgrade: "SELECT 1;"))
        let after = Dictionary(uniqueKeysWithValues: inspector.scan(versions).map { ($0.name, Self.summary($0.outcome)) })
        let changed = Set(after.keys).union(before.keys).filter { before[$0] != after[$0] }
        #expect(changed == ["r0010.sql", "r0020.sql", "r0200_open.sql", "r0400.sql"])
        #expect(after["r0020.sql"] == nil)
        #expect(after["r0200_open.sql"]?.hasPrefix("revision open") == true)
    }
}
