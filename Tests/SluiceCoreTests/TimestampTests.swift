import Foundation
import SluiceCore
import Testing

/// Timestamps (history rows, the state file, JSON logs): UTC, ISO 8601 with milliseconds,
/// as Foundation's format style writes them.
@Suite("Timestamps")
struct TimestampTests {
    @Test("the same text as Foundation's ISO 8601 style", arguments: [0.0, -1.5, -86_400.25, 1_795_000_000.125, 1_795_000_000.875, 951_782_400.5, 4_102_444_799.0625])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let foundation = date.formatted(.iso8601.year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
        #expect(Timestamp.iso8601(date) == foundation)
    }

    @Test("a known instant; a fraction binary cannot hold exactly still says its digits")
    func known() {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_000_000.123)) == "2026-11-18T11:06:40.123Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 4_102_444_799.001)) == "2099-12-31T23:59:59.001Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_000_000.9999)) == "2026-11-18T11:06:40.999Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_515_300.25)) == "2026-11-24T10:15:00.250Z")
    }
}
