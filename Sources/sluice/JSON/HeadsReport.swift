/// What `sluice heads --json` prints: the heads, each in full.
struct HeadsReport: Encodable {
    /// The heads, in the graph's order.
    let heads: [RevisionJSON]
}
