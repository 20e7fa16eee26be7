import SluiceCore
/// A wall-clock time of day, to the minute, at which a window opens in its time zone.
///
/// It stays a local hour and minute rather than an instant because the instant differs
/// from day to day across daylight-saving changes; the window calendar resolves it per day.
public struct LocalTime: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    /// 0–23.
    public let hour: Int
    /// 0–59.
    public let minute: Int

    /// Creates a time of day.
    /// - Important: `hour` must be 0–23 and `minute` 0–59; use `init?(text:)` for input.
    public init(hour: Int, minute: Int) {
        precondition((0...23).contains(hour) && (0...59).contains(minute), "LocalTime out of range: \(hour):\(minute)")
        self.hour = hour
        self.minute = minute
    }

    /// Reads `"HH:MM"` (`"02:00"`, `"23:59"`; a one-digit hour such as `"2:00"` is accepted),
    /// returning `nil` for anything outside 00:00–23:59 or any other shape.
    public init?(text: String) {
        let bytes = Array(text.utf8).trimmingASCIISpaces()
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              (1...2).contains(colon), bytes.count - colon - 1 == 2
        else { return nil }
        var index = 0
        guard let hour = bytes.readDigits(at: &index, maximum: 2), index == colon else { return nil }
        index += 1
        guard let minute = bytes.readDigits(at: &index, maximum: 2), index == bytes.count,
              hour <= 23, minute <= 59
        else { return nil }
        self.init(hour: Int(hour), minute: Int(minute))
    }

    /// Minutes since local midnight, convenient for comparisons and arithmetic.
    public var minutesSinceMidnight: Int { hour * 60 + minute }

    /// `"HH:MM"`, the form the file uses.
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// Earlier in the day first.
    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }
}
