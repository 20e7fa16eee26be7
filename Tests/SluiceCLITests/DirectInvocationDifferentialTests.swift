import Foundation
@testable import sluice
import SluiceTestSupport
import Testing

/// `DirectInvocation` reads `upgrade` and `downgrade` without swift-argument-parser, for
/// speed. It may decline anything, but what it accepts it must read exactly as the full
/// parser does. Random argument lists (options in both spellings, in any order, repeated,
/// values that look like options or targets, Alembic's `-1`/`+2`, extra targets, flags it
/// does not know) go through both; seed and count: `SLUICE_ARGS_SEED`, `SLUICE_ARGS_COUNT`.
@Suite("DirectInvocation against swift-argument-parser")
struct DirectInvocationDifferentialTests {
    static let options = ["--config", "--database", "--versions", "--lock-timeout"]
    static let values = ["app.db", "/srv/app/var/app.db", "migrations/versions", "a b", "5s", "30s", "héllo", "x=y"]
    static let trickyValues = ["", "-1", "--sql", "-", "--", "=", "head"]
    static let targets = ["head", "heads", "base", "-1", "-12", "+2", "ae10", "head-1", "ledger@head", "ae1027a6acf0+1", "-", "--"]
    static let others = ["--sql", "--help", "-h", "--skip-rehearsal", "--json", "--unknown", "--unknown=1", "-x", "--database", "--lock-timeout=", "--version"]

    @Test("What the fast path accepts, the full parser reads the same")
    func sameAsArgumentParser() throws {
        let (seed, count) = SeededRandom.settings(prefix: "SLUICE_ARGS", seed: 20261203, count: 2000)
        var random = SeededRandom(seed: seed)
        var direct = 0
        var differences: [String] = []
        for _ in 0..<count {
            let arguments = Self.arguments(using: &random)
            guard let fast = DirectInvocation.migrationCommand(arguments) else { continue }
            direct += 1
            let full: MigrationCommand
            do {
                let parsed = try Sluice.parseAsRoot(arguments)
                switch parsed {
                case let upgrade as Upgrade: full = try upgrade.migrationCommand()
                case let downgrade as Downgrade: full = try downgrade.migrationCommand()
                default: throw CLIError.usage("parsed as \(type(of: parsed))")
                }
            } catch {
                differences.append("\(arguments): the fast path runs \(fast), the full parser refuses: \(Sluice.fullMessage(for: error))")
                continue
            }
            if full != fast { differences.append("\(arguments): fast \(fast), full \(full)") }
            if differences.count >= 10 { break }
        }
        print("DirectInvocation: seed \(seed), \(count) argument lists, \(direct) taken by the fast path, \(differences.count) differences")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        #expect(direct > count / 10, "the fast path took only \(direct) of \(count): the generator no longer exercises it")
    }

    /// `upgrade` or `downgrade`, then 0–5 options, targets and other words in random order.
    static func arguments(using random: inout SeededRandom) -> [String] {
        var words: [[String]] = []
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let option = options.randomElement(using: &random)!
            let value = (Int.random(in: 0..<5, using: &random) == 0 ? trickyValues : values).randomElement(using: &random)!
            words.append(Bool.random(using: &random) ? ["\(option)=\(value)"] : [option, value])
        }
        let targetCount = Int.random(in: 0..<6, using: &random) == 0 ? 2 : Int.random(in: 0...1, using: &random)
        for _ in 0..<targetCount { words.append([targets.randomElement(using: &random)!]) }
        if Int.random(in: 0..<6, using: &random) == 0 { words.append([others.randomElement(using: &random)!]) }
        words.shuffle(using: &random)
        return [Bool.random(using: &random) ? "upgrade" : "downgrade"] + words.flatMap { $0 }
    }
}
