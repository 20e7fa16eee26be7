import Foundation
import SluiceSQLite
import Testing

/// History timestamps: UTC, ISO 8601 with milliseconds, as Foundation's format style
/// writes them.
@Suite("History timestamps")
struct TimestampTests {
    @Test("the same text as Foundation's ISO 8601 style", arguments: [0.0, 1_795_000_000.123, 1_795_000_000.999, 951_782_400.5, 4_102_444_799.001])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let foundation = date.formatted(.iso8601.year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
        #expect(Timestamp.iso8601(date) == foundation)
    }

    @Test("a known instant")
    func known() {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_515_300.25)) == "2026-11-24T10:15:00.250Z")
    }
}
