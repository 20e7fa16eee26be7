/// Reads a compiled zone file (TZif, RFC 8536) as found under `/usr/share/zoneinfo`:
/// its transition times, the local time types they switch to, and the footer rule.
///
/// Only what a maintenance calendar needs is kept: leap-second records and the
/// standard/UT indicators (used only by POSIX-rule fallbacks for old files) are skipped.
enum TZifReader {
    /// The parsed content of one file.
    struct Content: Sendable, Equatable {
        var transitions: [Int] = []
        var typeIndices: [Int] = []
        var types: [ZoneRules.LocalTimeType] = []
        var footer: PosixZoneRule?
    }

    /// Why a file was not accepted.
    enum Failure: Error, Equatable {
        case notTZif
        case truncated
        case badData(String)
    }

    /// Parses `bytes`, preferring the 64-bit block of version 2+ files.
    static func read(_ bytes: [UInt8]) throws(Failure) -> Content {
        var cursor = Cursor(bytes: bytes)
        let first = try cursor.header()
        guard first.version >= 2 else { return try cursor.block(first, timeSize: 4) }
        try cursor.skip(first.blockLength(timeSize: 4))
        let second = try cursor.header()
        var content = try cursor.block(second, timeSize: 8)
        content.footer = try cursor.footer()
        return content
    }

    fileprivate struct Header {
        let version: Int
        let utIndicators, standardIndicators, leapSeconds, transitions, types, designationBytes: Int

        func blockLength(timeSize: Int) -> Int {
            transitions * (timeSize + 1) + types * 6 + designationBytes
                + leapSeconds * (timeSize + 4) + standardIndicators + utIndicators
        }
    }

    fileprivate struct Cursor {
        let bytes: [UInt8]
        var index = 0

        mutating func header() throws(Failure) -> Header {
            guard bytes.count >= index + 44 else { throw .truncated }
            guard Array(bytes[index..<index + 4]) == Array("TZif".utf8) else { throw .notTZif }
            let versionByte = bytes[index + 4]
            let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
            guard version >= 1 else { throw .badData("unknown version byte \(versionByte)") }
            index += 20
            var counts: [Int] = []
            for _ in 0..<6 { counts.append(Int(try unsigned(4))) }
            guard counts[4] >= 1 else { throw .badData("no local time types") }
            return Header(version: version, utIndicators: counts[0], standardIndicators: counts[1], leapSeconds: counts[2],
                          transitions: counts[3], types: counts[4], designationBytes: counts[5])
        }

        mutating func block(_ header: Header, timeSize: Int) throws(Failure) -> Content {
            guard bytes.count >= index + header.blockLength(timeSize: timeSize) else { throw .truncated }
            var content = Content()
            for _ in 0..<header.transitions { content.transitions.append(try signed(timeSize)) }
            for _ in 0..<header.transitions {
                let typeIndex = Int(try unsigned(1))
                guard typeIndex < header.types else { throw .badData("transition to type \(typeIndex) of \(header.types)") }
                content.typeIndices.append(typeIndex)
            }
            var raw: [(Int, Bool, Int)] = []
            for _ in 0..<header.types {
                let offset = try signed(4)
                let isDaylight = try unsigned(1) != 0
                let designation = Int(try unsigned(1))
                raw.append((offset, isDaylight, designation))
            }
            let designations = Array(bytes[index..<index + header.designationBytes])
            index += header.designationBytes
            for (offset, isDaylight, start) in raw {
                guard start < designations.count else { throw .badData("abbreviation index \(start) out of range") }
                let end = designations[start...].firstIndex(of: 0) ?? designations.count
                content.types.append(ZoneRules.LocalTimeType(
                    secondsEast: offset, isDaylight: isDaylight,
                    abbreviation: String(decoding: designations[start..<end], as: UTF8.self)))
            }
            try skip(header.leapSeconds * (timeSize + 4) + header.standardIndicators + header.utIndicators)
            return content
        }

        /// `\n<rule>\n`; an empty rule means "no rule", an unreadable one is an error.
        mutating func footer() throws(Failure) -> PosixZoneRule? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\n") else { return nil }
            let start = index + 1
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { throw .truncated }
            guard end > start else { return nil }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            guard let rule = PosixZoneRule(text[...]) else { throw .badData("unreadable footer rule \"\(text)\"") }
            return rule
        }

        mutating func skip(_ count: Int) throws(Failure) {
            guard bytes.count >= index + count else { throw .truncated }
            index += count
        }

        private mutating func unsigned(_ size: Int) throws(Failure) -> UInt64 {
            guard bytes.count >= index + size else { throw .truncated }
            var value: UInt64 = 0
            for byte in bytes[index..<index + size] { value = value << 8 | UInt64(byte) }
            index += size
            return value
        }

        private mutating func signed(_ size: Int) throws(Failure) -> Int {
            let value = try unsigned(size)
            let shift = UInt64(64 - size * 8)
            return Int(Int64(bitPattern: value << shift) >> Int64(shift))
        }
    }
}
