/// What `sluice show TARGET --json` prints when the target names other than exactly one
/// revision (`heads` with several heads, `base` with none); one revision is printed as
/// its own object.
struct RevisionListReport: Encodable {
    /// The revisions the target names.
    let revisions: [RevisionJSON]
}
