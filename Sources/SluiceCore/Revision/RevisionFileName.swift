/// Which names in the versions directory are revision files: `*.sql` that is not hidden.
///
/// Editor swap and backup files (`.x.sql.swp`, `x.sql~`, vim's `4913`), rsync's temporary
/// files (`.x.sql.AbC123`), dotfiles and `README` all fall outside this rule, so a
/// half-written upload is never taken for a revision.
public enum RevisionFileName {
    /// Whether a directory entry named `name` is a revision file.
    public static func isCandidate(_ name: some StringProtocol) -> Bool {
        !name.hasPrefix(".") && name.hasSuffix(".sql") && name.count > 4 && !name.contains("/")
    }
}
