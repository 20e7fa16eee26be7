import Foundation
import SluiceTestSupport

/// A temporary project for `sluice serve`: config, versions directory, database, state
/// file; files are written with the modes a careful operator uses.
final class DaemonFixture {
    let directory = TemporaryDirectory(prefix: "sluice-daemon")
    var versions: String { directory.url("versions") }
    /// The database: `app.db` in the project, or wherever the test put it (a small
    /// filesystem).
    let database: String
    var statePath: String { directory.url("state.json") }
    var config: String { directory.url("sluice.toml") }

    /// A window that is always open but blacked out for this century: nothing is applied,
    /// so tests of the queue see it stay.
    static let closed = "[[window]]\nname = \"staging\"\nalways = true\n[[blackout]]\nfrom = \"2000-01-01T00:00:00Z\"\nuntil = \"2100-01-01T00:00:00Z\"\n"
    /// The staging window: always open.
    static let open = "[[window]]\nname = \"staging\"\nalways = true\n"

    init(settle: String = "100ms", extra: String = "", windows: String = DaemonFixture.closed, database: String? = nil) {
        self.database = database ?? directory.url("app.db")
        try! FileManager.default.createDirectory(atPath: versions, withIntermediateDirectories: true)
        directory.write("sluice.toml", """
            database = "\(database ?? "app.db")"
            versions = "versions"
            state_file = "state.json"
            settle = "\(settle)"
            \(extra)
            [log]
            format = "text"
            \(windows)
            """)
    }

    func start() throws -> DaemonProcess {
        try DaemonProcess(config: config, statePath: statePath, directory: directory.path)
    }

    /// A revision that creates table `t_<id>`.
    static func table(_ id: String, revises: [String] = []) -> String {
        RevisionText.make(id, revises: revises, upgrade: "CREATE TABLE t_\(id) (id INTEGER PRIMARY KEY);", downgrade: "DROP TABLE t_\(id);")
    }

    /// Writes a revision file directly into the versions directory.
    @discardableResult
    func drop(_ name: String, _ text: String, mode: Int = 0o644) -> String {
        let path = directory.write("versions/\(name)", text)
        chmod(path, mode_t(mode))
        return path
    }

    /// Writes a file outside the versions directory (for `rename` in).
    func stage(_ name: String, _ text: String) -> String {
        directory.write("staging/\(name)", text)
    }
}
