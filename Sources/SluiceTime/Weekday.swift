/// A day of the week on which a maintenance window opens.
///
/// The raw values follow `Calendar`'s `weekday` component (Sunday = 1 … Saturday = 7), so
/// the window calendar can compare them with `calendar.component(.weekday, from:)` directly.
public enum Weekday: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Calendar weekday 1.
    case sunday = 1
    /// Calendar weekday 2.
    case monday
    /// Calendar weekday 3.
    case tuesday
    /// Calendar weekday 4.
    case wednesday
    /// Calendar weekday 5.
    case thursday
    /// Calendar weekday 6.
    case friday
    /// Calendar weekday 7.
    case saturday

    /// The three-letter spelling used in the configuration file (`"sat"`), so status output
    /// and error messages echo what operators write.
    public var abbreviation: String {
        switch self {
        case .sunday: "sun"
        case .monday: "mon"
        case .tuesday: "tue"
        case .wednesday: "wed"
        case .thursday: "thu"
        case .friday: "fri"
        case .saturday: "sat"
        }
    }

    /// The lower-case English name (`"saturday"`), the other spelling the file accepts.
    public var fullName: String {
        switch self {
        case .sunday: "sunday"
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        }
    }

    /// The abbreviation, as written in the configuration file.
    public var description: String { abbreviation }

    /// Reads a day as the configuration file spells it: the abbreviation (`"sat"`) or the
    /// full English name (`"Saturday"`), in any letter case; `nil` for anything else.
    public init?(configurationText text: String) {
        let lowered = text.lowercased()
        guard let day = Weekday.allCases.first(where: { lowered == $0.abbreviation || lowered == $0.fullName }) else {
            return nil
        }
        self = day
    }

    /// Orders days as `Calendar` numbers them, Sunday first, so window day lists sort stably.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
