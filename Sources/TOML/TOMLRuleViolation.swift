/// A break of TOML's table rules (a duplicate key, a table defined twice), found while
/// building the tables; the parser adds the line and column from `offset`.
///
/// It is separate from `TOMLSyntaxError` because the table builder sees keys, not the
/// text, and so knows only the offset the key was written at.
struct TOMLRuleViolation: Error {
    /// A short plain reason, like `duplicate key "settle"`.
    let reason: String
    /// The byte offset of the key the rule was broken at.
    let offset: Int
}
