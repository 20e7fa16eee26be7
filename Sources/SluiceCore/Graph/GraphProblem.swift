/// Something that keeps revisions out of a usable graph (SPEC §2).
///
/// The CLI reports every problem and exits 1; the daemon turns a missing parent into
/// *waiting* (the parent may still be on its way) and the rest into *rejected*.
public enum GraphProblem: Sendable, Equatable, CustomStringConvertible {
    /// Two or more files declare the same revision id.
    case duplicateID(id: String, paths: [String])
    /// A revision names a parent that no file declares.
    case missingParent(revision: String, path: String, parent: String)
    /// A revision names a dependency (`Depends On`) that no file declares.
    case missingDependency(revision: String, path: String, dependency: String)
    /// The listed revisions form a cycle through their parents and dependencies.
    case cycle(revisions: [String], paths: [String])
    /// The same branch label is declared by several revisions.
    case duplicateLabel(label: String, revisions: [String])
    /// A branch label is also a revision id, so targets would be ambiguous.
    case labelIsRevisionID(label: String, revision: String)

    /// The revision ids this problem keeps out of the graph directly.
    public var revisions: [String] {
        switch self {
        case .duplicateID(let id, _): [id]
        case .missingParent(let revision, _, _), .missingDependency(let revision, _, _): [revision]
        case .cycle(let revisions, _): revisions
        case .duplicateLabel, .labelIsRevisionID: []
        }
    }

    public var description: String {
        switch self {
        case .duplicateID(let id, let paths):
            "revision id \(id) is declared by several files: \(paths.joined(separator: " and ")); give one of them a new id"
        case .missingParent(let revision, let path, let parent):
            "\(path): revision \(revision) revises \(parent), which no file in the versions directory declares"
        case .missingDependency(let revision, let path, let dependency):
            "\(path): revision \(revision) depends on \(dependency), which no file in the versions directory declares"
        case .cycle(let revisions, let paths):
            "revisions form a cycle: \((revisions + [revisions[0]]).joined(separator: " -> ")) (files: \(paths.joined(separator: ", ")))"
        case .duplicateLabel(let label, let revisions):
            "branch label \(label) is declared by several revisions: \(revisions.joined(separator: ", "))"
        case .labelIsRevisionID(let label, let revision):
            "branch label \(label) of revision \(revision) is also a revision id"
        }
    }
}

/// The graph could not be built; carries every problem found, not just the first.
public struct GraphError: Error, Sendable, Equatable, CustomStringConvertible {
    /// All problems, in a stable order.
    public let problems: [GraphProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
