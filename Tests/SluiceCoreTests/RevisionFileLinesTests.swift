import Testing
@testable import SluiceCore

/// The parser answers its per-line questions on bytes (`RevisionFileLines`); these must
/// be exactly the answers of the `String` functions they stand in for, on every kind of
/// line, or a file would parse differently from how the rules describe it.
@Suite("Revision file lines: the same answers as the String rules")
struct RevisionFileLinesTests {
    static let lines = [
        "", " ", "\t\r", "--", "-", "- -", "---", "-- ", "--\t", "   -- indented",
        "-- +upgrade", "--+upgrade", "  --   +UpGrade  ", "-- +downgrade\r", "-- + upgrade", "-- +up_grade",
        "-- +up2", "-- +", "-- +Überblick", "-- +ünicode", "-- +upgrade -- no", "-- ++upgrade",
        "-- Revision ID: ae1027a6acf0", "--Revises: None", "-- Create Date: 2026-11-24 10:15:00",
        "-- sluice: placeholder written by `sluice import alembic`; write its SQL by hand and remove this line",
        "-- SLUICE placeholder", "--sluice:placeholder", "-- sluice\t:\tplaceholder", "-- sluice", "-- sluice placeholders",
        "-- sluice: PLACEHOLDER é", "-- sluicé: placeholder", "-- ſluice: placeholder", "-- Sluice: Placeholder\r",
        "--\u{301}sluice placeholder", "-- message with ünïcode", "SELECT 1; -- trailing", "/* block */ -- x",
        "/* open block", "INSERT INTO t VALUES ('--');", "   ", "-- \u{2028}", "\u{FEFF}-- bom",
    ]

    @Test("Should answer comment, marker, placeholder, comment text and SQL questions as the String rules do")
    func sameAnswers() {
        let text = Self.lines.joined(separator: "\n")
        let lines = RevisionFileLines(Array(text.utf8))
        #expect(lines.count == Self.lines.count)
        for (index, line) in Self.lines.enumerated() {
            #expect(lines.text(index) == line)
            #expect(lines.isComment(index) == RevisionFileParser.isComment(line), "isComment: \(line.debugDescription)")
            #expect(lines.sectionMarker(index) == RevisionFileParser.sectionMarker(line), "sectionMarker: \(line.debugDescription)")
            #expect(lines.isPlaceholder(index) == PlaceholderMarker.matches(line), "placeholder: \(line.debugDescription)")
            #expect(lines.hasExecutableContent(index) == SQLText.hasExecutableContent(line), "SQL: \(line.debugDescription)")
            if RevisionFileParser.isComment(line) {
                #expect(lines.commentText(index) == RevisionFileParser.commentText(line), "commentText: \(line.debugDescription)")
            }
        }
    }

    @Test("Should give the markers and placeholders their rules name")
    func knownAnswers() {
        let lines = RevisionFileLines(Array("-- +upgrade\n  --   +UpGrade  \n-- + upgrade\n-- SLUICE placeholder\n-- sluice placeholders\n".utf8))
        #expect(lines.sectionMarker(0) == "upgrade")
        #expect(lines.sectionMarker(1) == "upgrade")
        #expect(lines.sectionMarker(2) == nil)
        #expect(lines.isPlaceholder(3))
        #expect(!lines.isPlaceholder(4))
        #expect(lines.count == 6)
        #expect(lines.text(5) == "")
    }

    @Test("Should join a range of lines as the text between them, line feeds included")
    func joined() {
        let lines = RevisionFileLines(Array("a\nbb\n\nccc\n".utf8))
        #expect(lines.joined(0..<2) == "a\nbb")
        #expect(lines.joined(1..<4) == "bb\n\nccc")
        #expect(lines.joined(2..<2) == "")
        #expect(lines.joined(4..<5) == "")
        #expect(lines.joined(0..<5) == "a\nbb\n\nccc\n")
    }
}
