import FoundationEssentials

/// The rules of one IANA time zone (`Europe/Berlin`), read from the system's compiled
/// zone files, which answer the one question a maintenance calendar asks: the offset from
/// UTC at an instant.
///
/// sluice reads tzdata itself rather than through an internationalization library, so
/// that the binary stays small and starts fast for every CLI call; the files are the same
/// ones glibc's `localtime` uses (`TZDIR`, else `/usr/share/zoneinfo`, Debian's `tzdata`).
public struct ZoneRules: Sendable, Equatable, CustomStringConvertible {
    /// One kind of local time a zone switches between (`CET`, `CEST`).
    public struct LocalTimeType: Sendable, Equatable {
        /// Offset from UTC in seconds, positive east of Greenwich.
        public let secondsEast: Int
        /// Whether this is daylight-saving time.
        public let isDaylight: Bool
        /// The abbreviation the zone uses (`CEST`, `+03`).
        public let abbreviation: String
    }

    /// The name the configuration used, as it was written (`Europe/Berlin`).
    public let identifier: String
    private let content: TZifReader.Content

    /// UTC: the default zone of a window, built in so that it exists without tzdata.
    public static let utc = ZoneRules(
        identifier: "UTC",
        content: TZifReader.Content(types: [LocalTimeType(secondsEast: 0, isDaylight: false, abbreviation: "UTC")]))

    private init(identifier: String, content: TZifReader.Content) {
        self.identifier = identifier
        self.content = content
    }

    /// The zone from a compiled zone file's bytes; throws when they are not a TZif file
    /// this reader accepts.
    public init(identifier: String, tzif bytes: [UInt8]) throws {
        self.init(identifier: identifier, content: try TZifReader.read(bytes))
    }

    /// The zone named `identifier`, from the zone directory; `nil` when there is no such
    /// zone (or no readable file for it). `UTC` always exists.
    public init?(identifier: String, directory: String = ZoneRules.directory) {
        if identifier == "UTC" {
            self = .utc
            return
        }
        guard ZoneRules.isPlausible(identifier),
              let data = FileManager.default.contents(atPath: directory + "/" + identifier),
              let zone = try? ZoneRules(identifier: identifier, tzif: Array(data)) else { return nil }
        self = zone
    }

    /// Where zone files are read from: `TZDIR` as glibc honours it, else
    /// `/usr/share/zoneinfo`.
    public static var directory: String {
        if let configured = ProcessInfo.processInfo.environment["TZDIR"], !configured.isEmpty { return configured }
        return "/usr/share/zoneinfo"
    }

    /// The zone's identifier.
    public var description: String { identifier }

    /// The offset from UTC, in seconds, at `date`.
    public func secondsFromGMT(for date: Date) -> Int {
        type(at: Int(date.timeIntervalSince1970.rounded(.down))).secondsEast
    }

    /// The local time type at `instant` (seconds since 1970-01-01 UTC): the last
    /// transition at or before it, the footer rule past the last one, and the first
    /// standard type before the first (RFC 8536 §3.2).
    public func type(at instant: Int) -> LocalTimeType {
        let transitions = content.transitions
        guard let first = transitions.first, instant >= first else {
            return content.types.first { !$0.isDaylight } ?? content.types[0]
        }
        if instant >= transitions[transitions.count - 1], let footer = content.footer {
            return footer.type(at: instant)
        }
        var low = 0
        var high = transitions.count - 1
        while low < high {  // the last index whose transition is <= instant
            let middle = (low + high + 1) / 2
            if transitions[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return content.types[content.typeIndices[low]]
    }

    /// Whether `identifier` can name a file inside the zone directory and nothing
    /// outside it.
    static func isPlausible(_ identifier: String) -> Bool {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), identifier.utf8.count < 256 else { return false }
        return identifier.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && part.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7f
            }
        }
    }
}
