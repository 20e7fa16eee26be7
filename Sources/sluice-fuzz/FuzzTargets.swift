import SluiceCore

import Foundation

/// The inputs libFuzzer feeds: the first byte picks the parser, the rest is its input —
/// unless `SLUICE_FUZZ_TARGET` (`revision` or `target`) fixes the parser for a whole run.
/// Any Swift trap (a crash, an overflow, an out-of-bounds index) is a finding; thrown
/// errors are the expected answer to bad input.
enum FuzzTargets {
    static let fixed: UInt8? = switch ProcessInfo.processInfo.environment["SLUICE_FUZZ_TARGET"] {
    case "revision": 0
    case "target": 1
    default: nil
    }

    /// Replays one file through both parsers (seeds and crashers are raw inputs).
    static func replay(_ bytes: [UInt8]) {
        parse(bytes, selector: 0)
        parse(bytes, selector: 1)
    }

    static func run(_ bytes: [UInt8]) {
        guard let selector = fixed ?? bytes.first else { return }
        parse(fixed == nil ? Array(bytes.dropFirst()) : bytes, selector: selector)
    }

    private static func parse(_ input: [UInt8], selector: UInt8) {
        if selector % 2 == 0 {
            if let revision = try? RevisionFileParser.parse(input, path: "fuzz.sql") {
                _ = SQLText.hasExecutableContent(revision.upgrade.sql)
                _ = revision.upgrade.fileLine(ofUTF8Offset: input.count)
                _ = RevisionGraph.analyze([revision])
            }
        } else {
            let text = String(decoding: input, as: UTF8.self)
            if let expression = try? TargetExpression.parse(text) {
                let graph = RevisionGraph.analyze([]).graph
                _ = try? graph.resolve(expression, current: [])
            }
        }
    }
}
