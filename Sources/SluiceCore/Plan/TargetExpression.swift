/// A migration target as typed on the command line (SPEC §2), before it is resolved
/// against a graph and a database.
public enum TargetExpression: Sendable, Equatable {
    /// `heads`: every head.
    case heads
    /// `head`: the single head (an error when there are several).
    case head
    /// `base`: before the first revision.
    case base
    /// A full revision id, a unique prefix of one, or a branch label.
    case revision(String)
    /// `label@head`: the head of the branch with that label (or of a revision's line).
    case branchHead(String)
    /// `+N` or `-N`: steps from the database's current revision.
    case relative(Int)
    /// `head-N`: N steps below the single head.
    case headRelative(Int)
    /// `<rev>+N` or `<rev>-N`: steps from a revision.
    case revisionRelative(String, Int)
    /// `name@+N` or `name@-N`: steps from the database's current revision on the branch
    /// of `name` (a label or revision), as Alembic's `shoppingcart@+2`.
    case branchRelative(String, Int)

    /// Parses the target grammar.
    /// - Throws: `TargetError.malformed` with the reason.
    public static func parse(_ text: String) throws(TargetError) -> TargetExpression {
        let trimmed = text.trimmingSpaces
        switch trimmed {
        case "": throw .malformed(text, "a target is empty")
        case "heads": return .heads
        case "head": return .head
        case "base": return .base
        default: break
        }
        if let at = trimmed.firstIndex(of: "@") {
            let name = String(trimmed[..<at])
            let rest = String(trimmed[trimmed.index(after: at)...])
            guard isName(name) else { throw .malformed(text, "`\(name)` before `@` is not a branch label or revision") }
            switch rest {
            case "head": return .branchHead(name)
            default:
                if let steps = signedInteger(rest), steps != 0 { return .branchRelative(name, steps) }
                throw .malformed(text, "after `@` write `head`, `+N` or `-N`")
            }
        }
        if let steps = signedInteger(trimmed) {
            guard steps != 0 else { throw .malformed(text, "a relative target needs a non-zero number of steps") }
            return .relative(steps)
        }
        if let sign = trimmed.lastIndex(where: { $0 == "+" || $0 == "-" }), sign != trimmed.startIndex,
           let steps = signedInteger(String(trimmed[sign...])) {
            // A suffix of digits is a relative step; otherwise `-` is part of a label.
            let name = String(trimmed[..<sign])
            guard isName(name) else {
                throw .malformed(text, "expected `<revision>+N` or `<revision>-N`")
            }
            if name == "head" || name == "heads" {
                guard steps <= 0 else { throw .malformed(text, "nothing lies above `head`; use `head-N`") }
                return .headRelative(steps)
            }
            return .revisionRelative(name, steps)
        }
        guard isName(trimmed) else {
            if trimmed.contains("+") { throw .malformed(text, "expected `<revision>+N` or `<revision>-N`") }
            throw .malformed(text, "not a revision id, prefix, label, `head`, `heads`, `base`, `+N` or `-N`")
        }
        return .revision(trimmed)
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(RevisionFileParser.isLabelByte)
    }

    private static func signedInteger(_ text: String) -> Int? {
        guard let first = text.first, first == "+" || first == "-" else { return nil }
        let digits = text.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
        return first == "-" ? -value : value
    }
}

/// A target that cannot be parsed or resolved, with what to do about it.
public enum TargetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text does not follow the grammar.
    case malformed(String, String)
    /// No revision, prefix or label matches.
    case unknown(String)
    /// A prefix matches several revisions.
    case ambiguousPrefix(String, [String])
    /// `head` was asked for while several heads exist.
    case multipleHeads([String], asked: String)
    /// A relative walk cannot be made (branch, merge, past a head or base).
    case walk(String)
    /// The database is at several heads, so "current" is ambiguous.
    case multipleCurrent([String])

    public var description: String {
        switch self {
        case .malformed(let text, let reason):
            "bad target `\(text)`: \(reason)"
        case .unknown(let text):
            "no revision, prefix or branch label matches `\(text)`; `sluice history` lists them"
        case .ambiguousPrefix(let text, let matches):
            "`\(text)` is the start of several revisions (\(matches.joined(separator: ", "))); type more of the id"
        case .multipleHeads(let heads, let asked):
            "`\(asked)` is ambiguous: there are several heads (\(heads.joined(separator: ", "))); name one, use `heads` for all, or join them with `sluice merge -m \"merge\" heads`"
        case .walk(let reason):
            reason
        case .multipleCurrent(let current):
            "the database is at several revisions (\(current.joined(separator: ", "))), so a relative step is ambiguous; name a revision or use `<revision>+N`"
        }
    }
}
