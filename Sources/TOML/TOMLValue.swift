/// One TOML value, as the parser produced it.
///
/// The configuration readers ask for the kind they want through the optional accessors
/// (`string`, `int`, …), which return `nil` for every other kind, so a wrong type becomes
/// one `guard` and an error that names what was found (`TableReader.describe`).
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// A date-time with `Z` or a `±HH:MM` offset: one instant.
    case offsetDateTime(TOMLDateTime)
    /// A date-time without an offset: a wall-clock reading in no particular zone.
    case localDateTime(TOMLDateTime)
    case localDate(TOMLDate)
    case localTime(TOMLTime)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The text of a string; `nil` for other kinds.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value of an integer; `nil` for other kinds (a float is never narrowed).
    public var int: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The value of a float; `nil` for other kinds (an integer is never widened, so the
    /// reader decides whether `1` may stand for `1.0`).
    public var double: Double? {
        if case .float(let value) = self { return value }
        return nil
    }

    /// The value of a boolean; `nil` for other kinds.
    public var bool: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The elements of an array (an inline array or an array of tables); `nil` otherwise.
    public var array: [TOMLValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The contents of a table (a header table, a dotted-key table or an inline table);
    /// `nil` otherwise.
    public var table: TOMLTable? {
        if case .table(let value) = self { return value }
        return nil
    }

    /// An offset or a local date-time; `nil` otherwise. Callers that need an instant
    /// check `offsetMinutes`, which is `nil` for the local kind.
    public var dateTime: TOMLDateTime? {
        switch self {
        case .offsetDateTime(let value), .localDateTime(let value): value
        default: nil
        }
    }

    /// A local date (no time of day); `nil` otherwise.
    public var date: TOMLDate? {
        if case .localDate(let value) = self { return value }
        return nil
    }

    /// A local time of day; `nil` otherwise (a date-time's time is not a time of day).
    public var time: TOMLTime? {
        if case .localTime(let value) = self { return value }
        return nil
    }
}
