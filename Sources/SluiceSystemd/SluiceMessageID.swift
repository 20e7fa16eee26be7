/// Fixed journal `MESSAGE_ID`s (128-bit, 32 lower-case hex digits) for sluice's events,
/// so operators can select one kind of event across versions and hosts with
/// `journalctl MESSAGE_ID=…` instead of matching message text.
///
/// The id is chosen from the record's `event` metadata. These values are part of
/// sluice's interface: never change one; add new ones with `uuidgen | tr -d -`.
public enum SluiceMessageID {
    /// `event=applied`: a revision was applied and recorded.
    public static let applied = "7632f8c08b754df6afc3fb037271dc1a"
    /// `event=failed`: a revision failed, was rolled back and holds its descendants.
    public static let failed = "8a5df50a4d9b4a158716c1ee24340d03"
    /// `event=rejected`: a revision file did not pass validation.
    public static let rejected = "865f04d862f74b369a38d59843a2b62b"
    /// `event=window-opened`: a maintenance window opened.
    public static let windowOpened = "1e9b6318544a418faa74446da604c193"
    /// `event=queued`: a validated revision joined the queue.
    public static let queued = "d15cac46bba348fe860ed60fa515d083"
    /// `event=window-closed`: a maintenance window closed.
    public static let windowClosed = "978814f596f6470dbd3bd571bb4a375a"
    /// `event=backup-created`: a backup was taken before applying the queue.
    public static let backupCreated = "e8b5563d65c04f6ca503c3fd2cac13e6"
    /// `event=reload`: the configuration was reloaded (`SIGHUP`).
    public static let reload = "42f6be93eb924adb9f09764178ef84ae"
    /// `event=started`: the daemon started and is ready.
    public static let started = "1522c826e8b14495892e22dffdb772f0"
    /// `event=stopping`: the daemon is shutting down (`SIGTERM`/`SIGINT`).
    public static let stopping = "9090f749965c4c8e8972cd149d55a938"

    /// Every event name with its id, in a stable order, for documentation and tests.
    public static let all: [(event: String, id: String)] = [
        ("applied", applied),
        ("failed", failed),
        ("rejected", rejected),
        ("window-opened", windowOpened),
        ("queued", queued),
        ("window-closed", windowClosed),
        ("backup-created", backupCreated),
        ("reload", reload),
        ("started", started),
        ("stopping", stopping),
    ]

    /// Other spellings that mean the same event.
    private static let aliases = ["reloaded": "reload", "config-reloaded": "reload", "configuration-reloaded": "reload"]

    /// The id for an `event` metadata value, or `nil` for an event without one. Case,
    /// `_`, `.` and spaces are forgiven (`window_opened`, `window.opened` →
    /// `window-opened`), and `reloaded` counts as `reload`.
    public static func id(forEvent event: String) -> String? {
        var name = String(event.lowercased().map { $0 == "_" || $0 == "." || $0 == " " ? "-" : $0 })
        name = aliases[name] ?? name
        return all.first { $0.event == name }?.id
    }
}
