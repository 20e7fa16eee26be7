/// `[validation]`: how strictly new revisions are checked before they are queued (SPEC §5).
public struct ValidationSettings: Sendable, Equatable {
    /// Below this database size the rehearsal runs on a full in-memory copy; above it, on
    /// the schema alone, so a large database cannot exhaust memory.
    public var rehearsalMaxBytes: Int64
    /// Refuse revision files writable by group or others, and symlinks, because whoever can
    /// write them can run SQL against the database.
    public var strictPermissions: Bool
    /// Let the daemon queue a revision that makes a second head instead of holding it.
    public var allowMultipleHeads: Bool
    /// Let revisions `ATTACH`/`DETACH` other databases and `VACUUM INTO` a file; refused by
    /// default, since a revision should change only its own database.
    public var allowAttach: Bool = false

    /// Creates the settings; the defaults are those used when the file says nothing.
    public init(rehearsalMaxBytes: Int64 = 256 << 20, strictPermissions: Bool = true, allowMultipleHeads: Bool = false) {
        self.rehearsalMaxBytes = rehearsalMaxBytes
        self.strictPermissions = strictPermissions
        self.allowMultipleHeads = allowMultipleHeads
    }
}
