import Foundation
@testable import SluiceTime
import Testing

/// The zone rules read from tzdata, checked against Foundation's `TimeZone` (ICU's own
/// copy of the tz database) as the peer, and against hand-picked transitions.
@Suite("Zone rules from tzdata")
struct ZoneRulesTests {
    /// Zones whose rules ICU and Debian's tzdata agree on over the range checked: both
    /// hemispheres, half- and quarter-hour offsets, abolished DST, negative DST (Dublin).
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham",
        "America/Sao_Paulo", "Europe/Dublin", "America/St_Johns", "Asia/Tokyo", "Europe/London",
        "America/Los_Angeles", "Pacific/Auckland", "Etc/GMT+5", "UTC",
    ]

    @Test("Should give the same UTC offset as Foundation every 5 hours from 1995 to 2035", arguments: zones)
    func matchesFoundation(_ identifier: String) throws {
        let rules = try #require(ZoneRules(identifier: identifier))
        let peer = try #require(TimeZone(identifier: identifier))
        var instant = 788_918_400  // 1995-01-01
        var mismatches: [String] = []
        while instant < 2_082_758_400 {  // 2036-01-01
            let date = Date(timeIntervalSince1970: Double(instant))
            if rules.secondsFromGMT(for: date) != peer.secondsFromGMT(for: date) {
                mismatches.append("\(instant): \(rules.secondsFromGMT(for: date)) vs \(peer.secondsFromGMT(for: date))")
            }
            instant += 5 * 3600
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("Should follow the footer rule past the file's last transition (2040–2100)", arguments: ["Europe/Berlin", "America/New_York", "Australia/Sydney"])
    func farFuture(_ identifier: String) throws {
        let rules = try #require(ZoneRules(identifier: identifier))
        let peer = try #require(TimeZone(identifier: identifier))
        var instant = 2_208_988_800  // 2040-01-01
        while instant < 4_102_444_800 {  // 2100-01-01
            let date = Date(timeIntervalSince1970: Double(instant))
            #expect(rules.secondsFromGMT(for: date) == peer.secondsFromGMT(for: date), "\(identifier) at \(instant)")
            instant += 7 * 86_400 + 3_600
        }
    }

    @Test("Should switch at the exact second of Berlin's 2026 transitions, with the abbreviations")
    func berlinTransitions() throws {
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        let spring = 1_774_746_000  // 2026-03-29T01:00:00Z
        let autumn = 1_792_890_000  // 2026-10-25T01:00:00Z
        #expect(berlin.type(at: spring - 1).secondsEast == 3600)
        #expect(berlin.type(at: spring) == ZoneRules.LocalTimeType(secondsEast: 7200, isDaylight: true, abbreviation: "CEST"))
        #expect(berlin.type(at: autumn - 1).abbreviation == "CEST")
        #expect(berlin.type(at: autumn) == ZoneRules.LocalTimeType(secondsEast: 3600, isDaylight: false, abbreviation: "CET"))
    }

    @Test("Should refuse names that are not zones or reach outside the zone directory", arguments: [
        "Nowhere/Special", "../../etc/passwd", "/etc/localtime", "Europe/./Berlin", "Europe//Berlin", "", "zone.tab",
    ])
    func refusesBadNames(_ identifier: String) {
        #expect(ZoneRules(identifier: identifier) == nil)
    }

    @Test("Should suggest the spelling of a name written in the wrong case")
    func spelling() {
        #expect(ZoneRules.spelling(of: "europe/berlin") == "Europe/Berlin")
        #expect(ZoneRules.spelling(of: "AMERICA/NEW_YORK") == "America/New_York")
        #expect(ZoneRules.spelling(of: "Mars/Olympus") == nil)
    }

    @Test("Should read zones from another directory (TZDIR) and have UTC without any")
    func otherDirectory() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("Test"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Asia/Kolkata", toPath: scratch.appendingPathComponent("Test/Zone").path)
        let zone = try #require(ZoneRules(identifier: "Test/Zone", directory: scratch.path))
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_800_000_000)) == 19_800)
        #expect(ZoneRules(identifier: "Europe/Berlin", directory: scratch.path) == nil)
        #expect(ZoneRules(identifier: "UTC", directory: scratch.path) == .utc)
    }

    @Test("Should reject files that are not TZif or are cut short")
    func rejectsBadFiles() throws {
        #expect(throws: TZifReader.Failure.notTZif) { try TZifReader.read(Array("not a zone file at all, but long enough to have a header....".utf8)) }
        let berlin = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin"))
        #expect(throws: TZifReader.Failure.truncated) { try TZifReader.read(Array(berlin.prefix(200))) }
        #expect(throws: TZifReader.Failure.truncated) { try TZifReader.read(Array(berlin.prefix(30))) }
    }
}

@Suite("POSIX TZ rules")
struct PosixZoneRuleTests {
    @Test("Should parse the rule kinds tzdata footers use", arguments: [
        "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "<+03>-3", "IST-5:30", "AEST-10AEDT,M10.1.0,M4.1.0/3",
        "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "IST-1GMT0,M10.5.0,M3.5.0/1", "EST5EDT", "WGT3WGST,M3.5.0/-2,M10.5.0/-1",
        "XXX3YYY,J60/2,300/4",
    ])
    func parses(_ text: String) {
        #expect(PosixZoneRule(text[...]) != nil, "\(text)")
    }

    @Test("Should refuse malformed rules", arguments: [
        "", "C-1", "CET", "CET-1CEST,M13.5.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0",
        "CET-1CEST,M3.5.0", "<+03-3", "CET-25", "CET-1CEST,J0,J10", "CET-1CEST,M3.5.0,M10.5.0/168", "CET-1 trailing",
    ])
    func refuses(_ text: String) {
        #expect(PosixZoneRule(text[...]) == nil, "\(text)")
    }

    @Test("Should apply a northern and a southern rule on both sides of each change")
    func evaluates() throws {
        let berlin = try #require(PosixZoneRule("CET-1CEST,M3.5.0,M10.5.0/3"[...]))
        #expect(berlin.type(at: 1_774_746_000 - 1).secondsEast == 3600)   // 2026-03-29T00:59:59Z
        #expect(berlin.type(at: 1_774_746_000).secondsEast == 7200)
        #expect(berlin.type(at: 1_792_890_000 - 1).secondsEast == 7200)   // 2026-10-25T00:59:59Z
        #expect(berlin.type(at: 1_792_890_000).secondsEast == 3600)
        let sydney = try #require(PosixZoneRule("AEST-10AEDT,M10.1.0,M4.1.0/3"[...]))
        #expect(sydney.type(at: 1_767_225_600).abbreviation == "AEDT")      // 2026-01-01, summer
        #expect(sydney.type(at: 1_782_864_000).abbreviation == "AEST")      // 2026-07-01, winter
        #expect(sydney.type(at: 1_775_318_400 - 1).secondsEast == 39_600)   // 2026-04-04T16:00:00Z is 03:00 AEDT
        #expect(sydney.type(at: 1_775_318_400).secondsEast == 36_000)
    }
}
