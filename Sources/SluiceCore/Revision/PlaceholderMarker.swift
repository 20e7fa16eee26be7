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
        let words = RevisionFileParser.commentText(line).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" })
        return words.count >= 2 && words[0] == "sluice" && words[1] == "placeholder"
    }
}
