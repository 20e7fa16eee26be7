import Testing
@testable import SluiceCore

@Suite("Revision checksums")
struct ChecksumTests {
    static let lfText = revisionText(id: "abc", revises: "p1", upgrade: "CREATE TABLE t (x);\nINSERT INTO t VALUES ('é');")

    @Test("Should give a BOM + CRLF checkout the same checksum and sections as the LF file")
    func bomAndCRLF() throws {
        let lf = try parse(Self.lfText)
        let crlfText = Self.lfText.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(crlfText.utf8)
        #expect(bytes.count > Self.lfText.utf8.count)
        let crlf = try RevisionFileParser.parse(bytes, path: testPath)
        #expect(crlf.checksum == lf.checksum)
        #expect(crlf.upgrade == lf.upgrade)
        #expect(crlf.downgrade == lf.downgrade)
        #expect(crlf == lf)
    }

    @Test("Should write `sha256:` and 64 lower-case hex digits")
    func format() throws {
        let checksum = try parse(Self.lfText).checksum
        #expect(checksum.hasPrefix("sha256:"))
        #expect(Checksum.prefix == "sha256:")
        let hex = checksum.dropFirst("sha256:".count)
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) }, "\(checksum)")
    }

    @Test("Should change when one byte of the file changes")
    func changedByte() throws {
        let original = try parse(Self.lfText)
        let edited = try parse(Self.lfText.replacing("CREATE TABLE t (x);", with: "CREATE TABLE t (y);"))
        #expect(edited.checksum != original.checksum)
    }

    @Test("Should change when only a comment or white space changes")
    func whitespaceCounts() throws {
        let original = try parse(Self.lfText)
        let edited = try parse(Self.lfText + "\n")
        #expect(edited.checksum != original.checksum)
    }

    @Test("Should match the SHA-256 test vectors", arguments: [
        ("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ])
    func knownVectors(text: String, expected: String) {
        #expect(Checksum.of(normalized: Array(text.utf8)) == expected)
    }

    @Test("Should be the checksum of the file's own bytes when there is nothing to normalize")
    func parsedChecksumIsOfTheBytes() throws {
        let revision = try parse(Self.lfText)
        #expect(revision.checksum == Checksum.of(normalized: Array(Self.lfText.utf8)))
    }

    @Test("Should remove only a leading BOM and only CR that precedes LF", arguments: [
        ([0xEF, 0xBB, 0xBF, 0x61] as [UInt8], [0x61] as [UInt8]),
        ([0x61, 0xEF, 0xBB, 0xBF], [0x61, 0xEF, 0xBB, 0xBF]),
        ([0x61, 0x0D, 0x0A, 0x62], [0x61, 0x0A, 0x62]),
        ([0x61, 0x0D, 0x62, 0x0D], [0x61, 0x0D, 0x62, 0x0D]),
        ([0x0D, 0x0A, 0x0D, 0x0A], [0x0A, 0x0A]),
        ([0xEF, 0xBB], [0xEF, 0xBB]),
        ([], []),
    ])
    func normalize(input: [UInt8], expected: [UInt8]) {
        #expect(Checksum.normalize(input) == expected)
    }
}
