import Testing
import SluiceConfig

@Suite("DurationText")
struct DurationTextTests {
    static let validDurations: [(String, Duration)] = [
        ("500ms", .milliseconds(500)), ("90s", .seconds(90)), ("15m", .seconds(900)), ("2h", .seconds(7200)),
        ("1d", .seconds(86_400)), ("1h30m", .seconds(5400)), ("1h 30m", .seconds(5400)),
        ("1d2h3m4s5ms", .milliseconds(93_784_005)), ("1.5s", .milliseconds(1500)), ("0.25h", .seconds(900)),
        ("0", .zero), ("0s", .zero), (" 2h ", .seconds(7200)), ("0.000000001s", .nanoseconds(1)),
        ("0.0000001ms", .zero), ("007m", .seconds(420)),
    ]

    @Test("Should read durations with units", arguments: validDurations)
    func valid(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test("Should refuse anything else", arguments: [
        "", " ", "5", "-5s", "+5s", "5 s", "5sec", "5S", "2H", "1M", "1w", "30m1h", "1m1m", "1.s", ".5s", "1.0000000001s",
        "1e3ms", "1h-30m", "٣s", "99999999999d", "abc", "1h,30m",
    ])
    func invalid(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}

@Suite("ByteSizeText")
struct ByteSizeTextTests {
    static let validSizes: [(String, Int64)] = [
        ("256MiB", 268_435_456), ("1GiB", 1_073_741_824), ("512KiB", 524_288), ("2TiB", 2_199_023_255_552),
        ("100MB", 100_000_000), ("1kb", 1000), ("3GB", 3_000_000_000), ("1TB", 1_000_000_000_000), ("1024", 1024),
        ("0", 0), ("7B", 7), ("256 MiB", 268_435_456), (" 256mib ", 268_435_456), ("9223372036854775807", Int64.max),
    ]

    @Test("Should read sizes with binary and decimal units", arguments: validSizes)
    func valid(text: String, expected: Int64) {
        #expect(ByteSizeText.parse(text) == expected)
    }

    @Test("Should refuse anything else", arguments: [
        "", "MiB", "-1", "+1", "1.5GiB", "256M", "1K", "1G", "256 megs", "1 Mi B", "9223372036854775808",
        "9000000TiB", "0x10", "1_000",
    ])
    func invalid(text: String) {
        #expect(ByteSizeText.parse(text) == nil)
    }
}
