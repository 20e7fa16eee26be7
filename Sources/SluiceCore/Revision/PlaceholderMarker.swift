/// The line that marks a revision file as a placeholder: a file with the right header
/// (so the graph stays whole and `history`, `heads` and `current` show it) whose SQL
/// still has to be written by hand. `sluice import alembic --placeholders` writes one for
/// each Alembic revision that cannot be rendered offline.
///
/// The parser records where the marker is (`Revision.placeholderLine`); validation
/// (`check`, the daemon, every applying command) then rejects that one file, at that
/// line, until the marker line is removed. It is a `--` comment, so the file stays valid
/// SQL, and it may stand anywhere in the file, the header included.
public enum PlaceholderMarker {
    /// The marker line as the importer writes it.
    public static let line = "-- sluice: placeholder written by `sluice import alembic`; write its SQL by hand and remove this line"

    /// Why a placeholder is rejected, as validation reports it after `path:line:`.
    public static let reason = "placeholder written by `sluice import alembic`; write its SQL by hand and remove this line"

    /// Whether `line` is a marker line: a `--` comment whose text starts with
    /// `sluice: placeholder` (any case, any spacing around the colon).
    public static func matches(_ line: String) -> Bool {
        guard RevisionFileParser.isComment(line) else { return false }
        let text = RevisionFileParser.commentText(line)
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return matchesWords(text.utf8) }
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" })
        return words.count >= 2 && words[0] == "sluice" && words[1] == "placeholder"
    }

    /// Whether a comment's ASCII text (after the dashes, trimmed) starts with the words
    /// `sluice` and `placeholder`, in any case, separated by spaces, tabs or colons.
    /// On bytes: the parser asks this of every line of every file.
    static func matchesWords(_ text: some Collection<UInt8>) -> Bool {
        var words: [[UInt8]] = []
        var word: [UInt8] = []
        for byte in text {
            if byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: ":") {
                if !word.isEmpty { words.append(word); word = [] }
                if words.count == 2 { break }
            } else {
                word.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
        }
        if !word.isEmpty, words.count < 2 { words.append(word) }
        return words.count >= 2 && words[0] == sluice && words[1] == placeholder
    }

    private static let sluice = Array("sluice".utf8)
    private static let placeholder = Array("placeholder".utf8)
}
