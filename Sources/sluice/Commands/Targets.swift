import ArgumentParser
import SluiceCore

/// A positional target that may look like an option (`-1`): Alembic's spellings work
/// as typed, so `sluice downgrade -1` is a target, not an unknown option.
struct TargetArgument: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: "Target: a revision id or unique prefix, head, heads, base, label@head, +N, -N, head-N, <rev>+N, <rev>-N.")
    var words: [String] = []

    /// The single target, or `fallback` when none was given.
    func target(default fallback: String?) throws -> String {
        if let option = words.first(where: { $0.hasPrefix("-") && Int($0) == nil }) {
            throw CLIError.usage("unknown option \(option); see --help")
        }
        switch words.count {
        case 0:
            guard let fallback else { throw CLIError.usage("a target is required (for example `base`, `-1` or a revision id)") }
            return fallback
        case 1: return words[0]
        default: throw CLIError.usage("one target only, got \(words.joined(separator: " "))")
        }
    }
}

extension RevisionGraph {
    /// Parses and resolves a target against this graph and the database's rows, turning
    /// errors into exit status 1 with the resolver's advice.
    func resolveTarget(_ text: String, current: [String]) throws -> [String] {
        do {
            return try resolve(TargetExpression.parse(text), current: current)
        } catch {
            throw CLIError.failed("\(error)")
        }
    }
}
