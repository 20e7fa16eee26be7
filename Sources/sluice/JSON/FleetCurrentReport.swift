/// What `sluice current --all --json` prints: where each member is, and whether that is
/// every head.
struct FleetCurrentReport: Encodable {
    struct Member: Encodable {
        let name: String
        let path: String
        /// The version rows; `nil` when it could not be read.
        let current: [String]?
        let atHeads: Bool
        /// Whether its schema differs from the others' at the same version rows.
        let drifted: Bool
        let error: String?

        private enum CodingKeys: String, CodingKey {
            case name, path, current, drifted, error
            case atHeads = "at_heads"
        }
    }

    let databases: String
    let heads: [String]
    let members: [Member]
    /// Members not at every head (unreadable ones included).
    let behind: Int
}
