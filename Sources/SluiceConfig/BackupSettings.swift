/// `backups = { directory, keep }`: where the pre-migration backups go and how many stay.
public struct BackupSettings: Sendable, Equatable {
    /// An absolute directory, or `nil` to let the caller use `<database dir>/backups`
    /// (the database path may come from the command line, so only the caller knows it).
    public var directory: String?
    /// How many of the newest backups to keep (at least 1: a backup is taken before every
    /// change, and the one just taken must survive the pruning).
    public var keep: Int

    /// Creates the settings; the defaults are those used when the file says nothing.
    public init(directory: String? = nil, keep: Int = 10) {
        self.directory = directory
        self.keep = keep
    }
}
