extension AlembicRevisionMap {
    /// A relative target as Alembic's pattern `(?:(.+?)@)?(\w+)?([+-]\d+)` matches it
    /// from the start of the text: an optional label, an optional symbol, the steps.
    struct RelativeTarget: Equatable {
        let label: String?
        let symbol: String?
        let steps: Int
        /// The steps as typed (`+2`), for messages.
        let stepsText: String
    }

    /// Matches `text` as Alembic's `_relative_destination.match` does (a prefix match:
    /// the shortest label first, then none).
    static func relativeTarget(_ text: String) -> RelativeTarget? {
        let characters = Array(text)
        var index = 1
        while index < characters.count {
            if characters[index] == "@", let rest = symbolAndSteps(characters[(index + 1)...]) {
                return RelativeTarget(label: String(characters[..<index]), symbol: rest.symbol, steps: rest.steps, stepsText: rest.text)
            }
            index += 1
        }
        guard let rest = symbolAndSteps(characters[...]) else { return nil }
        return RelativeTarget(label: nil, symbol: rest.symbol, steps: rest.steps, stepsText: rest.text)
    }

    private static func symbolAndSteps(_ text: ArraySlice<Character>) -> (symbol: String?, steps: Int, text: String)? {
        let word = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        var rest = text.dropFirst(word.count)
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        rest = rest.dropFirst()
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int(String(digits)) else { return nil }
        return (word.isEmpty ? nil : String(word), sign == "-" ? -value : value, String(sign) + String(digits))
    }

    /// Alembic's `_parse_upgrade_target`: the revisions an upgrade aims at, relative
    /// targets walked from the rows (`current`).
    func upgradeTargets(_ target: String, current: [String]) throws(AlembicRefusal) -> [WalkPoint] {
        guard let relative = Self.relativeTarget(target) else { return try revisions(target) }
        if relative.steps > 0 {
            guard let symbol = relative.symbol else {
                var starts: [WalkPoint] = current.isEmpty ? [.noRevision] : try current.map { name throws(AlembicRefusal) in try revision(name).map(WalkPoint.revision) ?? .noRevision }
                if let label = relative.label {
                    let rows = try revisions(current).compactMap(\.node)
                    var onBranch = try filterForLineage(rows, label)
                    if onBranch.isEmpty {
                        let active = try filterForLineage(ancestors(of: rows), label)
                        let below = Set(active.flatMap { nodes[$0].normalizedDown })
                        onBranch = Array(Set(active).subtracting(below)).sorted()
                    }
                    starts = onBranch.isEmpty ? [.noRevision] : onBranch.map(WalkPoint.revision)
                }
                guard starts.count <= 1 else { throw .revision("Ambiguous upgrade from multiple current revisions") }
                guard let reached = try walk(from: starts[0], steps: relative.steps, branchLabel: relative.label) else {
                    throw .revision("Relative revision \(relative.stepsText) didn't produce \(abs(relative.steps)) migrations")
                }
                return [reached]
            }
            let start = try revision(symbol).map(WalkPoint.revision) ?? .noRevision
            return [try walk(from: start, steps: relative.steps, branchLabel: relative.label) ?? .noRevision]
        }
        guard let symbol = relative.symbol else {
            throw .revision("Relative revision \(relative.steps) didn't produce \(abs(relative.steps)) migrations")
        }
        let name = relative.label.map { "\($0)@\(symbol)" } ?? symbol
        let start = try revision(name).map(WalkPoint.revision) ?? .noRevision
        return [try walk(from: start, steps: relative.steps) ?? .noRevision]
    }

    /// Alembic's `_parse_downgrade_target`: the label the target names (if any) and the
    /// revision to go down to (nil: base).
    func downgradeTarget(_ target: String, current: [String]) throws(AlembicRefusal) -> (label: String?, target: WalkPoint) {
        if let relative = Self.relativeTarget(target) {
            if relative.steps >= 0 {
                guard let symbol = relative.symbol else {
                    throw .revision("Relative revision \(relative.stepsText) didn't produce \(abs(relative.steps)) migrations")
                }
                let start = try revision(symbol).map(WalkPoint.revision) ?? .noRevision
                guard let reached = try walk(from: start, steps: relative.steps, branchLabel: relative.label) else {
                    throw .revision("Walked too far")
                }
                return (relative.label, reached)
            }
            var label = relative.label
            var symbol = relative.symbol
            let fromRows = symbol == nil
            if fromRows {
                if let branch = label {
                    let rows = try current.map { name throws(AlembicRefusal) in try revision(forIdent: name, branch: nil) }.compactMap(\.node)
                    var onBranch = try filterForLineage(rows, branch)
                    if onBranch.isEmpty {
                        onBranch = try filterForLineage(allCurrent(current), branch)
                    }
                    guard onBranch.count == 1 else { throw .internalError("AssertionError: \(onBranch.count) current revisions on branch \(branch)") }
                    symbol = id(onBranch[0])
                } else {
                    guard let first = current.first else {
                        throw .revision("Relative revision \(relative.stepsText) didn't produce \(abs(relative.steps)) migrations")
                    }
                    // sluice's one departure: Alembic warns that this is ambiguous and
                    // will be disallowed, then walks from whichever row the table
                    // returns first. sluice refuses it.
                    guard current.count == 1 else {
                        throw .revision("downgrade \(relative.stepsText) from several rows (\(current.sorted().joined(separator: ", "))) is ambiguous (Alembic warns that it will disallow it); name the branch with `<label>@\(relative.stepsText)` or `<revision>\(relative.stepsText)`, or name the revision to go down to")
                    }
                    symbol = first
                    label = first
                }
            }
            let name = label.map { "\($0)@\(symbol!)" } ?? symbol!
            let start = try revision(name).map(WalkPoint.revision) ?? .noRevision
            guard let reached = try walk(from: start, steps: relative.steps) else {
                throw .revision(fromRows ? "Relative revision \(relative.stepsText) didn't produce \(abs(relative.steps)) migrations" : "Walked too far")
            }
            return (label, reached)
        }
        var label: String?
        var symbol = target
        if let at = target.lastIndex(of: "@") {
            label = String(target[..<at])
            symbol = String(target[target.index(after: at)...])
            if label!.isEmpty { label = nil }
        }
        return (label, try revision(symbol).map(WalkPoint.revision) ?? .noRevision)
    }

    /// Alembic's `_get_all_current`: the rows and everything below them, reduced to the
    /// tips of each line.
    func allCurrent(_ current: [String]) throws(AlembicRefusal) -> [Int] {
        var top = Set(try revisions(current).compactMap(\.node))
        top.formUnion(ancestors(of: Array(top)))
        return top.filter { node in
            top.isDisjoint(with: Set(descendants(of: [node], includeDependencies: false)).subtracting([node]))
        }.sorted()
    }
}

extension WalkPoint {
    /// The revision, when the point is one.
    var node: Int? {
        if case .revision(let node) = self { return node }
        return nil
    }
}
