import SluiceCore

/// The inputs libFuzzer feeds: the first byte picks the parser, the rest is its input.
/// Any Swift trap (a crash, an overflow, an out-of-bounds index) is a finding; thrown
/// errors are the expected answer to bad input.
enum FuzzTargets {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let input = Array(bytes.dropFirst())
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
