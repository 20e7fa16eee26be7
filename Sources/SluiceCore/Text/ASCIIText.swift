/// Byte-level helpers shared by the small text grammars of the configuration (durations,
/// sizes, times of day, timestamps), which are ASCII by definition and must not accept look-alike Unicode digits.
extension UInt8 {
    /// Whether the byte is an ASCII space or tab.
    public var isASCIISpace: Bool { self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") }

    /// Whether the byte is an ASCII digit `0`–`9`.
    public var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}

extension Array where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs.
    public func trimmingASCIISpaces() -> [UInt8] {
        guard let first = firstIndex(where: { !$0.isASCIISpace }),
              let last = lastIndex(where: { !$0.isASCIISpace })
        else { return [] }
        return Array(self[first...last])
    }

    /// Reads one to `maximum` ASCII digits starting at `index`, advancing it; `nil` when
    /// there is no digit or there are more than `maximum` (so the value fits in `Int64`).
    public func readDigits(at index: inout Int, maximum: Int) -> Int64? {
        let start = index
        var value: Int64 = 0
        while index < count, self[index].isASCIIDigit {
            guard index - start < maximum else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(self[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return index > start ? value : nil
    }
}
