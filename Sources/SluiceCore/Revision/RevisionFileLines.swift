/// The lines of a normalized revision file as byte ranges of its text, with the lexical
/// questions the parser asks of every line (is it a `--` comment, a section marker, a
/// placeholder's marker?) answered on the bytes.
///
/// A daemon starting on thousands of revision files parses every one of them; making a
/// `String` of every line and trimming it cost more than reading the files. Only what
/// the revision keeps (header values, the message, the two sections) becomes a `String`.
/// Lines with non-ASCII text take the `String` functions, so every answer is the same
/// as theirs.
struct RevisionFileLines {
    /// The normalized text (no byte-order mark, LF line ends), valid UTF-8.
    let bytes: [UInt8]
    /// Each line's bytes without its line feed; a text ending in a line feed has an
    /// empty last line, as `split(omittingEmptySubsequences: false)` gives.
    let ranges: [Range<Int>]
    /// Whether each line is ASCII: found in the same pass, asked of a line several times.
    private let ascii: [Bool]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [Range<Int>] = []
        var ascii: [Bool] = []
        var start = 0
        var plain = true
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A {
                ranges.append(start..<index)
                ascii.append(plain)
                start = index + 1
                plain = true
            } else if byte >= 0x80 {
                plain = false
            }
        }
        ranges.append(start..<bytes.count)
        ascii.append(plain)
        self.ranges = ranges
        self.ascii = ascii
    }

    var count: Int { ranges.count }

    /// Line `index` (0-based) as text.
    func text(_ index: Int) -> String { String(decoding: bytes[ranges[index]], as: UTF8.self) }

    /// Lines `lines` (0-based) joined with line feeds: one slice of the text.
    func joined(_ lines: Range<Int>) -> String {
        guard let first = lines.first, let last = lines.last else { return "" }
        return String(decoding: bytes[ranges[first].lowerBound..<ranges[last].upperBound], as: UTF8.self)
    }

    private func isASCII(_ index: Int) -> Bool { ascii[index] }

    /// Whether line `index` is a `--` comment (after spaces, tabs, carriage returns).
    func isComment(_ index: Int) -> Bool {
        let line = bytes[ranges[index]]
        guard let first = line.firstIndex(where: { !RevisionFileParser.isSpaceByte($0) }) else { return false }
        return line[first...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
    }

    /// The bytes of a comment line's text after the dashes, trimmed (ASCII lines only).
    private func commentBytes(_ index: Int) -> ArraySlice<UInt8> {
        let trimmed = Self.trimmed(bytes[ranges[index]])
        return Self.trimmed(trimmed.dropFirst(2))
    }

    private static func trimmed(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = slice.firstIndex(where: { !RevisionFileParser.isSpaceByte($0) }),
              let last = slice.lastIndex(where: { !RevisionFileParser.isSpaceByte($0) }) else { return [] }
        return slice[first...last]
    }

    /// `RevisionFileParser.commentText` of line `index`.
    func commentText(_ index: Int) -> String {
        guard isASCII(index) else { return RevisionFileParser.commentText(text(index)) }
        return String(decoding: commentBytes(index), as: UTF8.self)
    }

    /// `RevisionFileParser.sectionMarker` of line `index`.
    func sectionMarker(_ index: Int) -> String? {
        guard isComment(index) else { return nil }
        guard isASCII(index) else { return RevisionFileParser.sectionMarker(text(index)) }
        let text = commentBytes(index)
        guard text.first == UInt8(ascii: "+") else { return nil }
        let name = text.dropFirst()
        guard !name.isEmpty, name.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else { return nil }
        return String(decoding: name.map { $0 | 0x20 }, as: UTF8.self)
    }

    /// `PlaceholderMarker.matches` of line `index`.
    func isPlaceholder(_ index: Int) -> Bool {
        guard isComment(index) else { return false }
        guard isASCII(index) else { return PlaceholderMarker.matches(text(index)) }
        return PlaceholderMarker.matchesWords(commentBytes(index))
    }

    /// Whether line `index` holds anything but white space and comments.
    func hasExecutableContent(_ index: Int) -> Bool {
        SQLText.firstExecutableOffset(in: bytes, from: ranges[index].lowerBound, to: ranges[index].upperBound) != nil
    }
}
