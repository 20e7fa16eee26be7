/// What `sluice check --json` prints: whether every revision validated, rehearsed and
/// matched what was applied, with each problem found.
struct ValidationReport: Encodable {
    /// One problem, with the revision, file and line when known (keys left out when not).
    struct Problem: Encodable {
        /// A stable name for the kind of problem (`parse`, `graph`, `rehearsal`, …).
        let kind: String
        /// The message `check` prints.
        let message: String
        /// The revision concerned.
        let revision: String?
        /// The file concerned.
        let file: String?
        /// The line concerned.
        let line: Int?
    }

    /// No problem was found.
    let ok: Bool
    /// How many revisions the versions directory holds.
    let revisions: Int
    /// How many of them are applied.
    let applied: Int
    /// How many were rehearsed.
    let rehearsed: Int
    /// What was found, in the order found.
    let problems: [Problem]
}
