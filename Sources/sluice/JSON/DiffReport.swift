/// What `sluice diff --json` prints: the statements that would turn the heads' schema
/// into the desired one, what they would remove, and renames that would keep data.
struct DiffReport: Encodable {
    /// The statements for one object, under one comment.
    struct Step: Encodable {
        /// What the statements do, in words.
        let comment: String
        /// The statements, each without its final `;`.
        let statements: [String]
    }

    /// Something the change removes for good.
    struct Loss: Encodable {
        /// `table`, `column`, `view` or `trigger`.
        let kind: String
        /// Its name; `table.column` for a column.
        let name: String
    }

    /// Whether there is anything to change (`diff` then exits 3).
    let differs: Bool
    /// Where the desired schema came from.
    let desired: String
    /// The heads the schema was built from.
    let heads: [String]
    /// The steps, in the order they must run.
    let steps: [Step]
    /// What the steps would remove.
    let losses: [Loss]
    /// Renames that would keep data the steps drop (`--rename` hints).
    let renameSuggestions: [String]

    private enum CodingKeys: String, CodingKey {
        case differs, desired, heads, steps, losses
        case renameSuggestions = "rename_suggestions"
    }
}
