import Foundation
import SluiceCore
import SluiceTestSupport
@testable import SluiceSQLite
import Testing

/// The version rows read from the file's pages must be exactly what SQLite returns, and
/// every situation where they might not be must decline.
@Suite("Reading the version table without SQLite")
struct VersionTablePeekTests {
    private func fixture(rows: [String]) throws -> (Fixture, VersionTablePeek.Location) {
        let fixture = Fixture()
        let connection = try Connection(path: fixture.database, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        for index in 0..<200 { try connection.execute("CREATE TABLE t\(index) (a INTEGER, b TEXT)") }
        for row in rows { try connection.run("INSERT INTO alembic_version VALUES (?)", [.text(row)]) }
        let location = try #require(try VersionTablePeek.locate(VersionTable(), in: connection))
        return (fixture, location)
    }

    private func sqliteHeads(_ fixture: Fixture) throws -> [String] {
        try VersionTable().heads(in: Connection(path: fixture.database, mode: .readOnly))
    }

    @Test("Should return the rows SQLite returns, in its order", arguments: [
        [String](), ["ae1027a6acf0"], ["zz9", "a1", "M5", "b_2"], (0..<40).map { "rev\($0)_\(String(repeating: "x", count: $0 % 20))" },
    ])
    func sameRows(_ rows: [String]) throws {
        let (fixture, location) = try fixture(rows: rows)
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == (try sqliteHeads(fixture)))
    }

    @Test("Should follow updates that keep the schema, and decline once the schema changes")
    func schemaChange() throws {
        let (fixture, location) = try fixture(rows: ["a"])
        let connection = try Connection(path: fixture.database, mode: .readWriteCreate)
        try connection.execute("UPDATE alembic_version SET version_num = 'b'")
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == ["b"])
        try connection.execute("CREATE TABLE later (x)")
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == nil)
        let fresh = try #require(try VersionTablePeek.locate(VersionTable(), in: connection))
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: fresh) == ["b"])
    }

    @Test("Should decline a table that no longer fits on its root page")
    func biggerThanOnePage() throws {
        let (fixture, location) = try fixture(rows: (0..<400).map { "revision_\($0)_padding_padding" })
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == nil)
    }

    @Test("Should decline in WAL mode and beside a journal")
    func walAndJournal() throws {
        let (fixture, location) = try fixture(rows: ["a"])
        _ = FileManager.default.createFile(atPath: fixture.database + "-journal", contents: Data([1, 2, 3]))
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == nil)
        try FileManager.default.removeItem(atPath: fixture.database + "-journal")
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == ["a"])
        let connection = try Connection(path: fixture.database, mode: .readWriteCreate)
        try connection.execute("PRAGMA journal_mode = WAL")
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == nil)
    }

    @Test("Should decline while another process holds SQLite's write lock, and read again after")
    func otherProcessLock() throws {
        let (fixture, location) = try fixture(rows: ["a"])
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE")
            c.execute("UPDATE alembic_version SET version_num = 'b'")
            print("locked", flush=True)
            sys.stdin.readline()
            c.execute("COMMIT")
            """, fixture.database]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.hasPrefix("locked"))
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == nil)
        input.fileHandleForWriting.write(Data("go\n".utf8))
        holder.waitUntilExit()
        #expect(holder.terminationStatus == 0)
        #expect(VersionTablePeek.heads(databasePath: fixture.database, at: location) == ["b"])
    }

    @Test("Should read SQLite varints of every length")
    func varints() {
        let cases: [([UInt8], Int)] = [
            ([0x00], 0), ([0x7F], 127), ([0x81, 0x00], 128), ([0xFF, 0x7F], 16_383), ([0x81, 0x80, 0x00], 16_384),
            ([0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01], 0x0204_0810_2040_8101),
        ]
        for (bytes, value) in cases {
            var index = 0
            #expect(VersionTablePeek.varint(bytes, &index) == value)
            #expect(index == bytes.count)
        }
        var index = 0
        #expect(VersionTablePeek.varint([0x81], &index) == nil)
    }
}

@Suite("Versions fingerprints")
struct VersionsFingerprintTests {
    @Test("Should list only revision files and change with every edit, addition and removal")
    func changes() throws {
        let fixture = Fixture(["a_one.sql": RevisionText.make("a", upgrade: "SELECT 1;", downgrade: nil)])
        fixture.directory.write("versions/.hidden.sql", "x")
        fixture.directory.write("versions/notes.txt", "x")
        let first = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(first.stamps.map(\.name) == ["a_one.sql"])
        #expect(VersionsFingerprint.take(fixture.versions) == first)

        // Same size, same name: the change time still moves.
        usleep(20_000)
        fixture.add("a_one.sql", RevisionText.make("b", upgrade: "SELECT 1;", downgrade: nil))
        let edited = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(edited != first)
        #expect(edited.stamps[0].size == first.stamps[0].size)

        fixture.add("b_two.sql", RevisionText.make("c", revises: ["b"], upgrade: "SELECT 2;", downgrade: nil))
        let added = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(added.stamps.map(\.name).sorted() == ["a_one.sql", "b_two.sql"])
        try FileManager.default.removeItem(atPath: fixture.versions + "/b_two.sql")
        let removed = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(removed.stamps == edited.stamps)
        // The same files, but the directory's own stamp moved with the addition and removal.
        #expect(removed != edited)
        #expect(removed.directoryStamp?.modified != first.directoryStamp?.modified)
        #expect(VersionsFingerprint.take(fixture.versions + "/missing") == nil)
    }

    @Test("Should check a stored fingerprint in place and notice every edit, addition, removal, rename and swapped directory")
    func stillDescribes() throws {
        let fixture = Fixture(["a_one.sql": RevisionText.make("a", upgrade: "SELECT 1;", downgrade: nil),
                               "b_two.sql": RevisionText.make("b", revises: ["a"], upgrade: "SELECT 2;", downgrade: nil)])
        fixture.directory.write("versions/notes.txt", "x")
        var stored = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(stored.stillDescribes(fixture.versions))
        // Files that are not revisions do not count.
        fixture.directory.write("versions/notes.txt", "changed")
        #expect(stored.stillDescribes(fixture.versions))

        // In place, same size: only the file's own times move, not the directory's.
        usleep(20_000)
        let path = fixture.versions + "/a_one.sql"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "SELECT 1;", with: "SELECT 3;").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(!stored.stillDescribes(fixture.versions))
        stored = try #require(VersionsFingerprint.take(fixture.versions))

        // Edited again, then its modification time put back: its change time still tells.
        let recorded = try #require(stored.stamps.first { $0.name == "a_one.sql" })
        usleep(20_000)
        try text.replacingOccurrences(of: "SELECT 1;", with: "SELECT 5;").write(toFile: path, atomically: false, encoding: .utf8)
        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0),
                     timespec(tv_sec: Int(recorded.modified / 1_000_000_000), tv_nsec: Int(recorded.modified % 1_000_000_000))]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(try #require(VersionsFingerprint.take(fixture.versions)).stamps.first { $0.name == "a_one.sql" }?.modified == recorded.modified)
        #expect(!stored.stillDescribes(fixture.versions))
        stored = try #require(VersionsFingerprint.take(fixture.versions))
        #expect(stored.stillDescribes(fixture.versions))

        fixture.add("c_three.sql", RevisionText.make("c", revises: ["b"], upgrade: "SELECT 4;", downgrade: nil))
        #expect(!stored.stillDescribes(fixture.versions))
        stored = try #require(VersionsFingerprint.take(fixture.versions))

        try FileManager.default.removeItem(atPath: fixture.versions + "/c_three.sql")
        #expect(!stored.stillDescribes(fixture.versions))
        stored = try #require(VersionsFingerprint.take(fixture.versions))

        #expect(rename(fixture.versions + "/b_two.sql", fixture.versions + "/b_second.sql") == 0)
        #expect(!stored.stillDescribes(fixture.versions))
        stored = try #require(VersionsFingerprint.take(fixture.versions))

        // A deploy that swaps a symlink to another copy of the same files.
        let copy = fixture.directory.url("release-2")
        try FileManager.default.copyItem(atPath: fixture.versions, toPath: copy)
        let link = fixture.directory.url("current")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.versions)
        let throughLink = try #require(VersionsFingerprint.take(link))
        #expect(throughLink.stillDescribes(link))
        try FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: copy)
        #expect(!throughLink.stillDescribes(link))

        #expect(!stored.stillDescribes(fixture.versions + "/missing"))
        #expect(!VersionsFingerprint(bytes: [1, 2, 3]).stillDescribes(fixture.versions))
    }

    @Test("Should count as settled only once every file is older than the margin")
    func settled() throws {
        let fixture = Fixture(["a_one.sql": RevisionText.make("a", upgrade: "SELECT 1;", downgrade: nil)])
        let fingerprint = try #require(VersionsFingerprint.take(fixture.versions))
        let now = VersionsFingerprint.wallClockNanoseconds()
        #expect(!fingerprint.isSettled(now: now))
        #expect(fingerprint.isSettled(now: now + 3_000_000_000))
        #expect(!VersionsFingerprint(bytes: []).isSettled(now: now + 3_000_000_000))
    }

    @Test("Should not count as settled while the directory changed more recently than its files")
    func directorySettled() throws {
        let fixture = Fixture(["a_one.sql": RevisionText.make("a", upgrade: "SELECT 1;", downgrade: nil)])
        // Touch only the directory: an entry that is not a revision file, added and removed.
        usleep(50_000)
        fixture.directory.write("versions/notes.txt", "x")
        try FileManager.default.removeItem(atPath: fixture.versions + "/notes.txt")
        let fingerprint = try #require(VersionsFingerprint.take(fixture.versions))
        let margin: Int64 = 2_000_000_000
        let filesChanged = try #require(fingerprint.stamps.map { max($0.modified, $0.changed) }.max())
        let directory = try #require(fingerprint.directoryStamp)
        let directoryChanged = max(directory.modified, directory.changed)
        #expect(directoryChanged > filesChanged)
        // Old enough for the file, not for the directory: a name added in the same tick
        // could leave the directory's times as recorded.
        #expect(!fingerprint.isSettled(now: filesChanged + margin, margin: margin))
        #expect(fingerprint.isSettled(now: directoryChanged + margin, margin: margin))
    }
}
