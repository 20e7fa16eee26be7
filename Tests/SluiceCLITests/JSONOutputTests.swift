import Foundation
@testable import sluice
import Testing

/// `--json` output is written by hand; Foundation's `JSONSerialization` (what it replaced)
/// is the peer: same layout, same values.
@Suite("JSON output")
struct JSONOutputTests {
    @Test("Should lay out values as JSONSerialization does, and parse back to the same values")
    func matchesJSONSerialization() throws {
        let value: [String: Any] = [
            "zeta": [1, 2, 3], "alpha": "a/b \"quoted\" back\\slash\ttab\u{01}é", "empty_list": [Any](),
            "empty_object": [String: Any](), "flag": true, "off": false, "count": 42, "ratio": 1.5, "whole": 2.0,
            "nested": ["b": ["x", "y"], "a": ["deep": 1]] as [String: Any], "nothing": JSONNull(),
        ]
        var peerValue = value
        peerValue["nothing"] = NSNull()
        let peer = String(decoding: try JSONSerialization.data(
            withJSONObject: peerValue, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        let ours = JSONOutput.render(value)
        #expect(ours == peer)
        let parsedOurs = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? NSDictionary
        let parsedPeer = try JSONSerialization.jsonObject(with: Data(peer.utf8)) as? NSDictionary
        #expect(parsedOurs == parsedPeer)
    }
}
