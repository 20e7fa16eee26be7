/// What `sluice branches --json` prints: every branch point and the revisions that
/// revise it.
struct BranchesReport: Encodable {
    /// One revision revised by more than one.
    struct BranchPoint: Encodable {
        /// The branch point, in full.
        let revision: RevisionJSON
        /// The ids of the revisions that revise it.
        let children: [String]
    }

    /// The branch points, in the graph's order.
    let branchPoints: [BranchPoint]

    private enum CodingKeys: String, CodingKey {
        case branchPoints = "branch_points"
    }
}
