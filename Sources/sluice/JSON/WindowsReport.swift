/// What `sluice windows --json` prints: the next openings of the maintenance windows,
/// blackouts cut out.
struct WindowsReport: Encodable {
    /// One stretch of time a window is open.
    struct Opening: Encodable {
        /// The window's name.
        let window: String
        /// The first open instant, UTC; `null` for an always-open window open since
        /// before now.
        @NullWhenNil var start: String?
        /// The first closed instant, UTC; `null` when no blackout ends an always-open
        /// window.
        @NullWhenNil var end: String?
        /// The start in the window's time zone; `null` with `start`.
        @NullWhenNil var localStart: String?
        /// The window's time zone.
        let timezone: String
        /// Whether the opening has begun.
        let openNow: Bool

        private enum CodingKeys: String, CodingKey {
            case window, start, end, timezone
            case localStart = "local_start"
            case openNow = "open_now"
        }
    }

    /// When the openings were computed, UTC.
    let now: String
    /// The openings, in time order.
    let openings: [Opening]
}
