import Testing
@testable import SluiceCore

@Suite("Revision file parser: valid files")
struct RevisionFileParserTests {
    /// The SPEC §1 example with every optional key added.
    static let fullFile = fileText(
        "-- Add email column to users table",            // 1
        "--",                                            // 2
        "-- Revision ID: ae1027a6acf0",                  // 3
        "-- Revises: 1975ea83b712",                      // 4
        "-- Create Date: 2026-11-24 10:15:00+00:00",     // 5
        "-- Branch Labels: accounts, billing",           // 6
        "-- Depends On: dep0001, 'dep0002'",             // 7
        "-- Transaction: none",                          // 8
        "-- Destructive: allowed",                       // 9
        "",                                              // 10
        "-- +upgrade",                                   // 11
        "ALTER TABLE users ADD COLUMN email TEXT;",      // 12
        "CREATE INDEX ix_users_email ON users (email);", // 13
        "",                                              // 14
        "-- +downgrade",                                 // 15
        "DROP INDEX ix_users_email;",                    // 16
        "ALTER TABLE users DROP COLUMN email;"           // 17
    )

    @Test("Should read every header key and both sections of a full file")
    func fullValidFile() throws {
        let revision = try parse(Self.fullFile)
        #expect(revision.id == "ae1027a6acf0")
        #expect(revision.message == "Add email column to users table")
        #expect(revision.parents == ["1975ea83b712"])
        #expect(revision.createDate == "2026-11-24 10:15:00+00:00")
        #expect(revision.branchLabels == ["accounts", "billing"])
        #expect(revision.dependencies == ["dep0001", "dep0002"])
        #expect(revision.transactionMode == .none)
        #expect(revision.destructiveAllowed)
        #expect(revision.path == testPath)
        #expect(revision.fileName == "x.sql")
        #expect(revision.checksum == Checksum.of(normalized: Array(Self.fullFile.utf8)))
        #expect(revision.prerequisites == ["1975ea83b712", "dep0001", "dep0002"])
    }

    @Test("Should record the marker line and first SQL line of each section")
    func sectionLines() throws {
        let revision = try parse(Self.fullFile)
        #expect(revision.upgrade.markerLine == 11)
        #expect(revision.upgrade.firstLine == 12)
        #expect(revision.upgrade.sql == "ALTER TABLE users ADD COLUMN email TEXT;\nCREATE INDEX ix_users_email ON users (email);\n")
        let downgrade = try #require(revision.downgrade)
        #expect(revision.isReversible)
        #expect(downgrade.markerLine == 15)
        #expect(downgrade.firstLine == 16)
        #expect(downgrade.sql == "DROP INDEX ix_users_email;\nALTER TABLE users DROP COLUMN email;\n")
    }

    @Test("Should map a byte offset in a section back to its file line")
    func sectionFileLine() throws {
        let revision = try parse(Self.fullFile)
        // The byte after the first newline starts `CREATE INDEX`, on line 13.
        let newline = try #require(Array(revision.upgrade.sql.utf8).firstIndex(of: 0x0A))
        let offset = newline + 1
        #expect(revision.upgrade.fileLine(ofUTF8Offset: 0) == 12)
        #expect(revision.upgrade.fileLine(ofUTF8Offset: offset) == 13)
    }

    @Test("Should default the optional keys of a minimal file")
    func minimalFileDefaults() throws {
        let revision = try parse(revisionText(id: "abc"))
        #expect(revision.id == "abc")
        #expect(revision.message == "Test revision")
        #expect(revision.parents.isEmpty)
        #expect(revision.dependencies.isEmpty)
        #expect(revision.branchLabels.isEmpty)
        #expect(revision.createDate == nil)
        #expect(revision.transactionMode == .perMigration)
        #expect(!revision.destructiveAllowed)
        #expect(revision.upgrade.sql == "CREATE TABLE t (x INTEGER);\n")
    }

    @Test(
        "Should read header keys whatever their case or separator",
        arguments: [
            ("Revision ID", "Revises"),
            ("REVISION ID", "REVISES"),
            ("revision id", "revises"),
            ("Revision_Id", "ReViSeS"),
            ("revision-id", "Revises"),
        ]
    )
    func caseInsensitiveKeys(idKey: String, revisesKey: String) throws {
        let revision = try parse(fileText(
            "-- Message",
            "-- \(idKey): abc",
            "-- \(revisesKey): parent1",
            "-- +upgrade",
            "SELECT 1;"
        ))
        #expect(revision.id == "abc")
        #expect(revision.parents == ["parent1"])
    }

    @Test("Should treat an empty, `None` or `()` Revises as a base", arguments: ["None", "", "   ", "()"])
    func baseRevises(value: String) throws {
        let revision = try parse(revisionText(id: "abc", revises: value))
        #expect(revision.parents == [])
    }

    @Test("Should read every parent of a merge revision", arguments: ["a1, b2", "a1,b2", "'a1', 'b2'", "\"a1\" , \"b2\""])
    func mergeRevises(value: String) throws {
        let revision = try parse(revisionText(id: "m3", revises: value))
        #expect(revision.parents == ["a1", "b2"])
    }

    @Test("Should accept `Transaction:` values whatever their case", arguments: [
        ("none", Revision.TransactionMode.none),
        ("None", .none),
        ("per-migration", .perMigration),
        ("PER-MIGRATION", .perMigration),
    ])
    func transactionModes(value: String, expected: Revision.TransactionMode) throws {
        let revision = try parse(revisionText(id: "abc", extraHeader: ["Transaction: \(value)"]))
        #expect(revision.transactionMode == expected)
    }

    @Test("Should acknowledge destructive upgrades with `Destructive: allowed`")
    func destructiveAllowed() throws {
        let revision = try parse(revisionText(id: "abc", extraHeader: ["Destructive: allowed"]))
        #expect(revision.destructiveAllowed)
    }

    @Test("Should accept an id of exactly 32 characters")
    func longestID() throws {
        let id = String(repeating: "a", count: 31) + "_"
        #expect(try parse(revisionText(id: id)).id == id)
    }

    @Test("Should read the header when the first line is already a key (no message)")
    func headerWithoutMessage() throws {
        let revision = try parse(fileText("-- Revision ID: abc", "-- Revises: None", "-- +upgrade", "SELECT 1;"))
        #expect(revision.id == "abc")
        #expect(revision.message == "")
        #expect(revision.upgrade.markerLine == 3)
    }

    @Test("Should allow comments, blank lines and a message with a colon outside the sections")
    func commentsBetweenHeaderAndUpgrade() throws {
        let revision = try parse(fileText(
            "-- Fix: widen the price column",  // 1
            "-- Revision ID: abc",              // 2
            "-- Revises: None",                 // 3
            "",                                 // 4
            "-- a note for reviewers",          // 5
            "/* and a block comment */",        // 6
            "-- +upgrade",                      // 7
            "SELECT 1;"                         // 8
        ))
        #expect(revision.message == "Fix: widen the price column")
        #expect(revision.upgrade.markerLine == 7)
        #expect(revision.upgrade.firstLine == 8)
    }
}

@Suite("Revision file parser: irreversible revisions")
struct IrreversibleRevisionTests {
    @Test("Should make a revision without a downgrade section irreversible")
    func noDowngradeSection() throws {
        let revision = try parse(revisionText(id: "abc", downgrade: nil))
        #expect(revision.downgrade == nil)
        #expect(!revision.isReversible)
    }

    @Test(
        "Should make a revision whose downgrade section holds no SQL irreversible",
        arguments: ["", "   ", "-- nothing to undo", "-- nothing\n/* really nothing */\n", "/* multi\nline */"]
    )
    func emptyDowngradeSection(body: String) throws {
        let revision = try parse(revisionText(id: "abc", downgrade: body))
        #expect(revision.downgrade == nil)
        #expect(!revision.isReversible)
    }

    @Test("Should keep a downgrade section that has SQL after a comment")
    func commentThenSQL() throws {
        let revision = try parse(revisionText(id: "abc", downgrade: "-- undo\nDROP TABLE t;"))
        #expect(revision.downgrade?.sql == "-- undo\nDROP TABLE t;\n")
    }
}

@Suite("Revision file parser: malformed files")
struct MalformedRevisionFileTests {
    @Test("Should refuse a file over 16 MiB before looking at its content")
    func overSizeLimit() {
        // All NUL bytes: if the size were not checked first, the NUL error would win.
        let bytes = [UInt8](repeating: 0, count: RevisionFileParser.maximumSize + 1)
        #expect(RevisionFileParser.maximumSize == 16 * 1024 * 1024)
        expectRejected(bytes, line: nil, reason: "16777217 bytes, over the 16 MiB limit")
    }

    @Test("Should accept a file of exactly 16 MiB")
    func exactlySizeLimit() throws {
        var bytes = Array(revisionText(id: "abc").utf8)
        let padding = RevisionFileParser.maximumSize - bytes.count - 4
        bytes += Array("-- ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: padding) + [0x0A]
        #expect(bytes.count == RevisionFileParser.maximumSize)
        let revision = try RevisionFileParser.parse(bytes, path: testPath)
        #expect(revision.id == "abc")
    }

    @Test("Should name the line of a NUL byte")
    func nulByte() {
        let text = fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "-- +upgrade", "SELECT '\u{0}';")
        expectRejected(text, line: 5, reason: "contains a NUL byte")
    }

    @Test("Should report a NUL byte before invalid UTF-8 later in the file")
    func nulBeforeUTF8() {
        var bytes = Array(fileText("-- Message", "-- x\u{0}").utf8)
        bytes += [0xFF, 0x0A]
        expectRejected(bytes, line: 2, reason: "NUL byte")
    }

    @Test(
        "Should name the line of invalid UTF-8",
        arguments: [[0xFF] as [UInt8], [0xC3], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80]]
    )
    func invalidUTF8(badBytes: [UInt8]) {
        let head = Array(fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "-- +upgrade").utf8)
        let bytes = head + Array("SELECT 'caf".utf8) + badBytes + Array("';\nSELECT 2;\n".utf8)
        expectRejected(bytes, line: 5, reason: "is not valid UTF-8")
    }

    @Test("Should count lines of a CRLF file when reporting invalid UTF-8")
    func invalidUTF8AfterCRLF() {
        let bytes = Array("-- Message\r\n-- Revision ID: abc\r\n-- Revises: None\r\n".utf8) + [0xFE] + Array("\r\n".utf8)
        expectRejected(bytes, line: 4, reason: "is not valid UTF-8")
    }

    @Test(
        "Should require the file to start with a `--` header line",
        arguments: [
            "CREATE TABLE t (x);\n",
            "\n-- Message\n-- Revision ID: abc\n-- Revises: None\n-- +upgrade\nSELECT 1;\n",
            "-- +upgrade\nSELECT 1;\n",
            "",
        ]
    )
    func firstLineNotComment(text: String) {
        expectRejected(text, line: 1, reason: "starts with a `--` header")
    }

    @Test("Should require a `Revision ID` line")
    func missingRevisionID() {
        let text = fileText("-- Message", "-- Revises: None", "", "-- +upgrade", "SELECT 1;")
        expectRejected(text, line: nil, reason: "no `Revision ID:` line")
    }

    @Test("Should refuse an id longer than 32 characters")
    func idTooLong() {
        let id = String(repeating: "a", count: 33)
        expectRejected(revisionText(id: id), line: 3, reason: "revision id `\(id)` must be 1 to 32 letters")
    }

    @Test(
        "Should refuse an id with characters outside `[A-Za-z0-9_]`",
        arguments: ["abc@head", "abc-1", "abc+1", "abc:def", "ab cd", "caf\u{e9}"]
    )
    func idWithBadCharacter(id: String) {
        expectRejected(revisionText(id: id), line: 3, reason: "revision id `\(id)` must be 1 to 32 letters, digits or `_`")
    }

    @Test("Should refuse an empty `Revision ID`")
    func emptyID() {
        expectRejected(revisionText(id: ""), line: 3, reason: "revision id `` must be 1 to 32")
    }

    @Test("Should require a `Revises` line and suggest `None` for a base")
    func missingRevises() {
        let text = fileText("-- Message", "-- Revision ID: abc", "", "-- +upgrade", "SELECT 1;")
        expectRejected(text, line: nil, reason: "no `Revises:` line; write `Revises: None`")
    }

    @Test("Should refuse a misspelt key rather than make a new base")
    func unknownKey() {
        let text = fileText("-- Message", "-- Revision ID: abc", "-- Revsies: parent1", "-- +upgrade", "SELECT 1;")
        let error = expectRejected(text, line: 3, reason: "unknown header key `Revsies`")
        #expect(error?.reason.contains("Revision ID, Revises, Create Date") == true)
    }

    @Test("Should refuse a key given twice, naming the line of the first")
    func duplicateKey() {
        let text = fileText(
            "-- Message",           // 1
            "-- Revision ID: abc",  // 2
            "-- Revises: p1",       // 3
            "-- Create Date: x",    // 4
            "-- revises: p2",       // 5
            "-- +upgrade",
            "SELECT 1;"
        )
        expectRejected(text, line: 5, reason: "`Revises` appears twice (first on line 3)")
    }

    @Test("Should refuse free text after the message line of the header")
    func freeTextInHeader() {
        let text = fileText(
            "-- Message",
            "-- Revision ID: abc",
            "-- this revision also fixes the index",
            "-- Revises: None",
            "-- +upgrade",
            "SELECT 1;"
        )
        expectRejected(text, line: 3, reason: "expected `Key: value` in the header, found `this revision also fixes the index`")
    }

    @Test("Should refuse an unknown `Transaction` value", arguments: ["always", "per_migration", ""])
    func badTransaction(value: String) {
        expectRejected(
            revisionText(id: "abc", extraHeader: ["Create Date: now", "Transaction: \(value)"]),
            line: 6,
            reason: "`Transaction: \(value)` is not known; use `per-migration` (the default) or `none`"
        )
    }

    @Test("Should refuse a `Destructive` value other than `allowed`", arguments: ["yes", "true", ""])
    func badDestructive(value: String) {
        expectRejected(
            revisionText(id: "abc", extraHeader: ["Destructive: \(value)"]),
            line: 5,
            reason: "`Destructive: \(value)` is not known; the only value is `allowed`"
        )
    }

    @Test("Should require an upgrade section", arguments: [
        fileText("-- Message", "-- Revision ID: abc", "-- Revises: None"),
        fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "", "-- +downgrade", "DROP TABLE t;"),
    ])
    func missingUpgrade(text: String) {
        expectRejected(text, line: nil, reason: "no `-- +upgrade` section")
    }

    @Test("Should refuse SQL before the upgrade section, naming its line")
    func sqlBeforeUpgrade() {
        let text = fileText(
            "-- Message",               // 1
            "-- Revision ID: abc",      // 2
            "-- Revises: None",         // 3
            "",                         // 4
            "-- a comment is fine",     // 5
            "CREATE TABLE early (x);",  // 6
            "-- +upgrade",              // 7
            "SELECT 1;"
        )
        expectRejected(text, line: 6, reason: "SQL before `-- +upgrade`")
    }

    @Test("Should refuse SQL in a file without any section marker")
    func sqlWithoutMarker() {
        let text = fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "", "CREATE TABLE t (x);")
        expectRejected(text, line: 5, reason: "SQL before `-- +upgrade`")
    }

    @Test("Should refuse a second section of the same kind, naming the first", arguments: [
        ("upgrade", 9, 6), ("downgrade", 11, 8),
    ])
    func duplicateSection(kind: String, line: Int, firstLine: Int) {
        let text = fileText(
            "-- Message",           // 1
            "-- Revision ID: abc",  // 2
            "-- Revises: None",     // 3
            "",                     // 4
            "",                     // 5
            "-- +upgrade",          // 6
            "SELECT 1;",            // 7
            "-- +downgrade",        // 8
            kind == "upgrade" ? "-- +upgrade" : "SELECT 2;",    // 9
            "SELECT 3;",            // 10
            kind == "downgrade" ? "-- +downgrade" : "SELECT 4;" // 11
        )
        expectRejected(text, line: line, reason: "a second `-- +\(kind)` section (the first starts on line \(firstLine))")
    }

    @Test("Should refuse an unknown section marker", arguments: ["-- +upgrad", "-- +Downgrades", "--+rollback"])
    func unknownMarker(marker: String) {
        let text = fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "-- +upgrade", "SELECT 1;", marker, "SELECT 2;")
        let name = marker.drop(while: { $0 != "+" }).dropFirst().lowercased()
        expectRejected(text, line: 6, reason: "unknown section marker `-- +\(name)`")
    }

    @Test("Should refuse an unknown marker right after the header")
    func unknownMarkerEndingHeader() {
        let text = fileText("-- Message", "-- Revision ID: abc", "-- Revises: None", "-- +upgrad", "SELECT 1;")
        expectRejected(text, line: 4, reason: "unknown section marker `-- +upgrad`")
    }

    @Test("Should refuse a revision that revises or depends on itself", arguments: [
        ("-- Revises: abc", "-- Create Date: now", 3, "Revises"),
        ("-- Revises: None", "-- Depends On: other, abc", 4, "Depends On"),
    ])
    func selfReference(revises: String, extra: String, line: Int, key: String) {
        let text = fileText("-- Message", "-- Revision ID: abc", revises, extra, "-- +upgrade", "SELECT 1;")
        expectRejected(text, line: line, reason: "revision `abc` lists itself in `\(key)`")
    }

    @Test("Should refuse a parent listed twice")
    func duplicateParent() {
        expectRejected(revisionText(id: "abc", revises: "p1, p2, p1"), line: 4, reason: "`Revises` lists `p1` twice")
    }

    @Test("Should refuse a malformed entry in `Revises`", arguments: ["p1,", "p1,,p2", "p-1"])
    func badParentEntry(value: String) {
        expectRejected(revisionText(id: "abc", revises: value), line: 4, reason: "which is not a revision id")
    }

    @Test("Should refuse a reserved target name as a branch label", arguments: ["head", "heads", "base", "current"])
    func reservedLabel(label: String) {
        expectRejected(
            revisionText(id: "abc", extraHeader: ["Branch Labels: feature, \(label)"]),
            line: 5,
            reason: "`\(label)` is a reserved target name and cannot be a branch label"
        )
    }

    @Test("Should refuse a branch label with characters a target cannot hold", arguments: ["a@b", "a b", "x+1"])
    func badLabel(label: String) {
        expectRejected(
            revisionText(id: "abc", extraHeader: ["Branch Labels: \(label)"]),
            line: 5,
            reason: "branch label `\(label)` must be letters, digits"
        )
    }

    @Test("Should refuse a branch label listed twice")
    func duplicateLabelInFile() {
        expectRejected(
            revisionText(id: "abc", extraHeader: ["Branch Labels: a, b, a"]),
            line: 5,
            reason: "`Branch Labels` lists `a` twice"
        )
    }
}
