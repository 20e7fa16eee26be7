/// What `sluice history --json` prints: the revisions newest first, with the version
/// table's rows so a script can tell what is applied.
struct HistoryReport: Encodable {
    /// The version table's rows.
    let current: [String]
    /// The revisions in the range asked for (all by default), newest first.
    let revisions: [RevisionJSON]
}
