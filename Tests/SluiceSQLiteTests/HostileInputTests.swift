import Foundation
import SluiceCore
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// The corpus of malformed and hostile revision files in `Corpus/`: each gives its own
/// specific error, and nothing crashes.
@Suite("Hostile input corpus")
struct HostileInputTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    private func parse(_ name: String) -> Result<Revision, RevisionFileError> {
        let path = Self.corpus + "/" + name
        return VersionsDirectory.readRevisionFile(path) ?? .failure(RevisionFileError(path: path, line: nil, reason: "not a file"))
    }

    /// Should refuse each malformed file with its specific reason and line.
    @Test("Each malformed file gives its specific parse error", arguments: [
        ("binary_garbage.sql", 1, "is not valid UTF-8"),
        ("nul_byte.sql", 7, "contains a NUL byte"),
        ("invalid_utf8.sql", 7, "is not valid UTF-8"),
        ("duplicate_key.sql", 5, "`Revises` appears twice (first on line 4)"),
        ("unknown_key.sql", 4, "unknown header key `Revsies`"),
        ("id_too_long.sql", 3, "must be 1 to 32 letters, digits or `_`"),
        ("id_bad_chars.sql", 3, "revision id `ab@c-d+e:f` must be 1 to 32 letters"),
        ("self_parent.sql", 4, "revision `self1` lists itself in `Revises`"),
    ])
    func parseErrors(name: String, line: Int, reason: String) {
        guard case .failure(let error) = parse(name) else {
            Issue.record("\(name) parsed")
            return
        }
        #expect(error.line == line, "\(error)")
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.description.hasPrefix(Self.corpus + "/" + name + ":\(line): "))
    }

    /// Should say that the upgrade section is missing (the whole file is concerned).
    @Test("A file without `-- +upgrade` says so")
    func missingUpgrade() {
        guard case .failure(let error) = parse("missing_upgrade.sql") else { Issue.record("parsed"); return }
        #expect(error.line == nil)
        #expect(error.reason.contains("no `-- +upgrade` section"))
    }

    /// Should accept a BOM and CRLF line ends, with the checksum of the LF text.
    @Test("BOM and CRLF are accepted; the checksum is that of the plain LF file")
    func bomAndCRLF() throws {
        let revision = try parse("bom_crlf.sql").get()
        #expect(revision.id == "bom1")
        let raw = try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/bom_crlf.sql"))
        let plain = String(decoding: raw.dropFirst(3), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(revision.checksum == Checksum.of(normalized: Array(plain.utf8)))
    }

    /// Should refuse a 20 MiB file from its size, without reading it.
    @Test("A 20 MiB file is refused from its size")
    func huge() throws {
        let directory = TemporaryDirectory()
        let path = directory.url("huge.sql")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 20 * 1024 * 1024)
        try handle.close()
        guard case .failure(let error) = VersionsDirectory.readRevisionFile(path) else { Issue.record("parsed"); return }
        #expect(error.reason.contains("over the 16 MiB limit"))
    }

    /// Should report a cycle across three files with all three ids.
    @Test("A cycle across three files")
    func cycle() throws {
        let loaded = try VersionsDirectory.load(Self.corpus + "/cycle")
        #expect(loaded.errors.isEmpty)
        let problems = RevisionGraph.analyze(loaded.revisions).problems
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("c1 -> c2 -> c3 -> c1") == true, "\(problems)")
    }

    /// Should name both files of a duplicated id.
    @Test("Duplicate ids name both files")
    func duplicates() throws {
        let loaded = try VersionsDirectory.load(Self.corpus + "/duplicates")
        let problem = try #require(RevisionGraph.analyze(loaded.revisions).problems.first)
        #expect(problem.description.contains("first.sql") && problem.description.contains("second.sql"))
        #expect(problem.description.contains("revision id same1 is declared by several files"))
    }

    /// Should refuse ATTACH, load_extension and a statement that never ends in the
    /// rehearsal, at their lines; and pass a trigger whose body holds semicolons.
    @Test("Rehearsal: attach, extension, an endless statement refused; a trigger with semicolons passes", arguments: [
        ("attach.sql", 8, "ATTACH (and VACUUM INTO) is refused"),
        ("load_extension.sql", 7, "load_extension() is refused"),
        ("never_ends.sql", 8, "unrecognized token"),
        ("trigger_semicolons.sql", nil, nil),
    ] as [(String, Int?, String?)])
    func rehearsal(name: String, line: Int?, reason: String?) throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.corpus + "/" + name, toPath: directory.url(name))
        let report = Checker.check(versions: try VersionsDirectory.load(directory.path), database: nil, versionTable: VersionTable(), rehearsalMaxBytes: 1 << 20)
        guard let reason else {
            #expect(report.isClean, "\(report.problems)")
            #expect(report.rehearsedCount == 1)
            return
        }
        let problem = try #require(report.problems.first)
        #expect(problem.line == line, "\(problem)")
        #expect(problem.message.contains(reason), "\(problem)")
    }
}
