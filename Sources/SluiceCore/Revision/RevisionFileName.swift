/// Which names in the versions directory are revision files: `*.sql` that is not hidden.
///
/// Editor swap and backup files (`.x.sql.swp`, `x.sql~`, vim's `4913`), rsync's temporary
/// files (`.x.sql.AbC123`), dotfiles and `README` all fall outside this rule, so a
/// half-written upload is never taken for a revision.
public enum RevisionFileName {
    /// Whether a directory entry named `name` is a revision file.
    public static func isCandidate(_ name: String) -> Bool {
        let bytes = name.utf8
        return bytes.count > 4 && bytes.first != UInt8(ascii: ".") && bytes.suffix(4).elementsEqual(".sql".utf8)
            && !bytes.contains(UInt8(ascii: "/"))
    }
}
