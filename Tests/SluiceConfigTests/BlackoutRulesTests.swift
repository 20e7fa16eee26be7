import Foundation
import Testing
@testable import SluiceConfig

@Suite("[[blackout]] rules")
struct BlackoutRulesTests {
    private func blackout(_ lines: String...) -> String { "[[blackout]]\n" + lines.joined(separator: "\n") + "\n" }

    @Test("Should read offsets and fractions in RFC 3339 strings")
    func offsets() throws {
        let configuration = try parsed(blackout(
            "name = \"release freeze\"", "from = \"2026-03-29T03:30:00+02:00\"", "until = \"2026-03-29 01:30:00.25z\""))
        let entry = try #require(configuration.blackouts.first)
        #expect(entry.name == "release freeze")
        #expect(entry.from == Date(timeIntervalSince1970: 1_774_747_800))
        #expect(entry.until == Date(timeIntervalSince1970: 1_774_747_800 + 0.25))
        #expect(entry.contains(entry.from) && !entry.contains(entry.until))
    }

    @Test("Should reject a blackout that breaks a rule, naming the key", arguments: [
        (["until = \"2027-01-05T00:00:00Z\""], "blackout[0].from", "missing"),
        (["from = \"2026-12-20T00:00:00Z\""], "blackout[0].until", "missing"),
        (["from = \"2027-01-05T00:00:00Z\"", "until = \"2026-12-20T00:00:00Z\""], "blackout[0].until", "later than `from`"),
        (["from = \"2026-12-20T00:00:00Z\"", "until = \"2026-12-20T01:00:00+01:00\""], "blackout[0].until", "later than `from`"),
        (["from = \"2026-12-20T00:00:00\"", "until = \"2027-01-05T00:00:00Z\""], "blackout[0].from", "with Z or an offset"),
        (["from = \"2026-02-30T00:00:00Z\"", "until = \"2027-01-05T00:00:00Z\""], "blackout[0].from", "not an RFC 3339"),
        (["from = \"20 Dec 2026\"", "until = \"2027-01-05T00:00:00Z\""], "blackout[0].from", "not an RFC 3339"),
        (["from = 2026-12-20T00:00:00", "until = 2027-01-05T00:00:00Z"], "blackout[0].from", "ambiguous"),
        (["from = 2026-12-20", "until = 2027-01-05T00:00:00Z"], "blackout[0].from", "found a date"),
        (["from = 1", "until = 2027-01-05T00:00:00Z"], "blackout[0].from", "expected an RFC 3339"),
        (["name = 1", "from = 2026-12-20T00:00:00Z", "until = 2027-01-05T00:00:00Z"], "blackout[0].name", "expected a string"),
    ])
    func rules(lines: [String], key: String, reason: String) {
        expectRejected("[[blackout]]\n" + lines.joined(separator: "\n"), key: key, reason: reason)
    }

    @Test("Should parse RFC 3339 text exactly, independent of the host's zone", arguments: [
        ("1970-01-01T00:00:00Z", 0.0), ("2000-02-29T12:00:00Z", 951_825_600), ("2026-12-20T00:00:00-05:30", 1_797_744_600),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func timestamps(text: String, seconds: Double) {
        #expect(TimestampText.parse(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("Should refuse malformed timestamps", arguments: [
        "2026-12-20T00:00:00", "2026-12-20", "2026-13-01T00:00:00Z", "2026-12-20T24:00:00Z", "2026-12-20T00:00:00+2400",
        "2026-12-20T00:00:00+24:00", "2026-12-20T00:00:00.Z", "2026-12-20T00:00:00Zjunk", "2100-02-29T00:00:00Z",
    ])
    func badTimestamps(text: String) {
        #expect(TimestampText.parse(text) == nil)
    }
}
