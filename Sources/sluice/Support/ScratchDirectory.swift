import FoundationEssentials
import Glibc

/// A private directory under `$TMPDIR` (else `/tmp`), made with `mkdtemp(3)` (mode
/// 0700) and removed with everything in it when released: where `sluice import alembic`
/// keeps its Python driver, the driver's output and the databases `--verify` compares.
final class ScratchDirectory {
    /// The directory's absolute path.
    let path: String

    /// Makes the directory.
    /// - Throws: `CLIError.failed` when it cannot be made.
    init(prefix: String) throws {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLIError.failed("cannot make a scratch directory in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }
}
