import SluiceCore

/// A digest of everything in a database a rehearsal's verdict rests on besides its
/// rows: every `sqlite_schema` row (type, name, table and `CREATE` text) and
/// `PRAGMA user_version`. Two databases with the same fingerprint have the same tables,
/// indexes, views and triggers, byte for byte as SQLite stores them.
///
/// The validation memo keys remembered verdicts on it, so that a restart does not
/// rehearse thousands of unchanged revisions again; fleets will group members by it.
public enum SchemaFingerprint {
    /// `sha256:` and 64 hex digits.
    /// - Parameter excluding: tables left out, with their indexes and triggers (sluice's
    ///   bookkeeping tables, which a writer creates before it migrates: a member is the
    ///   same before and after they appear).
    public static func of(_ database: Connection, excluding: [String] = []) throws(SQLiteError) -> String {
        var digest = SHA256Digest()
        let skipped = Set(excluding.map { $0.lowercased() })
        let rows = try database.rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
            .filter { !skipped.contains(($0[2].text ?? "").lowercased()) }
        for row in rows {
            for value in row {
                // Each field with its length first: ("ab", "c") and ("a", "bc") differ.
                let bytes = Array((value.text ?? "\u{0}null").utf8)
                digest.update(Array("\(bytes.count):".utf8))
                digest.update(bytes)
            }
        }
        let userVersion = try database.scalar("PRAGMA user_version")?.integer ?? 0
        digest.update(Array("user_version=\(userVersion)".utf8))
        return Checksum.text(of: digest.finalize())
    }
}
