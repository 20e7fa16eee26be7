import CSQLite
import Synchronization

/// Proof of life from inside long SQLite statements.
///
/// The daemon's watchdog must keep pinging while a migration runs a long statement (and
/// stop when the daemon is really wedged). Every connection opened while a hook is set
/// gets a progress handler that calls it every few thousand virtual-machine
/// instructions; the hook returns `true` to interrupt the statement.
public enum SQLiteProgress {
    /// The hook, called on the thread running the statement.
    public typealias Hook = @Sendable () -> Bool

    private static let box = HookBox()

    /// Sets the hook for connections opened from now on (`nil` removes it).
    public static func setHook(_ hook: Hook?) { box.set(hook) }

    static var hook: Hook? { box.get() }

    /// How many virtual-machine instructions pass between calls: often enough for a
    /// watchdog of a few seconds, rare enough to cost nothing measurable.
    static let instructions: Int32 = 100_000

    private final class HookBox: Sendable {
        private let hook = Mutex<Hook?>(nil)
        func set(_ value: Hook?) { hook.withLock { $0 = value } }
        func get() -> Hook? { hook.withLock { $0 } }
    }
}

final class ProgressBox {
    let hook: SQLiteProgress.Hook
    init(_ hook: @escaping SQLiteProgress.Hook) { self.hook = hook }
}

extension Connection {
    /// Installs the process-wide progress hook on this connection, if one is set.
    func installProgressHook() {
        guard let hook = SQLiteProgress.hook else { return }
        let box = ProgressBox(hook)
        progressBox = box
        sqlite3_progress_handler(handle, SQLiteProgress.instructions, { context in
            Unmanaged<ProgressBox>.fromOpaque(context!).takeUnretainedValue().hook() ? 1 : 0
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}
