import Foundation

/// The reference Alembic (1.20.1 from PyPI) in the project's private virtual environment,
/// `.build-alembic/venv`: the tests that compare sluice with Alembic, and those of
/// `sluice import alembic`, run the real thing rather than a model of it.
public enum AlembicEnvironment {
    /// The repository root, found from this file's place in `Sources/SluiceTestSupport`.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The virtual environment's `python`, installing Alembic with
    /// `scripts/alembic-venv.sh` first when it is missing (the script is idempotent and
    /// takes a lock, so tests running at once install it once).
    /// - Throws: when the installation fails, with the script's output.
    public static func python() throws -> String {
        let result = try SluiceBinary.runProgram("/bin/bash", [root + "/scripts/alembic-venv.sh"])
        guard result.status == 0 else {
            throw AlembicEnvironmentError(output: result.stdout + result.stderr)
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Installing the reference Alembic failed (no network, no `python3-venv`).
public struct AlembicEnvironmentError: Error, CustomStringConvertible {
    /// What the installation script printed.
    public let output: String
    public var description: String {
        "could not install Alembic 1.20.1 into .build-alembic/venv with scripts/alembic-venv.sh (needs python3-venv and PyPI):\n\(output)"
    }
}
