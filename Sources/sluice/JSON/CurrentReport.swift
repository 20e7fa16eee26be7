/// What `sluice current --json` prints: where the database is, and whether that is
/// every head.
struct CurrentReport: Encodable {
    /// A row of the version table: a revision of the versions directory, or an id no file
    /// declares (printed as `{"id": …, "unknown": true}`).
    enum Row: Encodable {
        /// A revision a file of the versions directory declares.
        case known(RevisionJSON)
        /// An id no file declares.
        case unknown(id: String)

        private enum UnknownKeys: String, CodingKey {
            case id, unknown
        }

        /// The revision's object, or the id with `"unknown" : true`.
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .known(let revision):
                try revision.encode(to: encoder)
            case .unknown(let id):
                var container = encoder.container(keyedBy: UnknownKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(true, forKey: .unknown)
            }
        }
    }

    /// The database file.
    let database: String
    /// The version table's rows.
    let current: [String]
    /// The heads of the versions directory.
    let heads: [String]
    /// Whether the rows are exactly the heads.
    let atHeads: Bool
    /// Each row, in full where a file declares it.
    let revisions: [Row]

    private enum CodingKeys: String, CodingKey {
        case database, current, heads, revisions
        case atHeads = "at_heads"
    }
}
