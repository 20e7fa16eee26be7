/// Why Alembic would refuse a command on this graph and these rows, in the classes
/// Alembic's `RevisionMap` raises; `AlembicCommand` words them as Alembic's command line
/// does, so a user sees the reason they know.
public enum AlembicRefusal: Error, Sendable, Equatable {
    /// A name that matches nothing, or several things (`ResolutionError`).
    case resolution(String, argument: String)
    /// `head` asked while several heads exist (`MultipleHeads`).
    case multipleHeads([String], argument: String)
    /// A range whose ends are not on one line (`RangeNotAncestorError`).
    case rangeNotAncestor
    /// Any other refusal (`RevisionError`), with Alembic's message.
    case revision(String)
    /// A step Alembic's own bookkeeping cannot perform: it fails with an internal error
    /// (an assertion, a missing row) part way through, after committing the steps before
    /// it. sluice refuses the whole command before running anything.
    case internalError(String)
}
