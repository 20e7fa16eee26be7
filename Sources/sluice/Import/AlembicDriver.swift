import FoundationEssentials
import SluiceCore

/// Runs `AlembicDriverScript` with the project's Python, in a scratch directory, and
/// decodes what it reports. The driver runs from the directory of `alembic.ini`, as
/// `alembic` is usually run, so `prepend_sys_path = .` and relative paths in the
/// project mean what they mean to Alembic; it writes no bytecode into the project.
struct AlembicDriver {
    /// The interpreter.
    let python: String
    /// The project's `alembic.ini`, absolute.
    let configuration: String
    /// The section of `alembic.ini` to use (`--name`).
    let section: String

    /// Renders every revision offline on the SQLite dialect.
    /// - Throws: `CLIError` when the project cannot be used (exit 2 for what the user
    ///   configures: the interpreter, `alembic.ini`; exit 1 otherwise).
    func render() throws -> AlembicRendering {
        try run(AlembicRendering.self, ["render"])
    }

    /// Runs `alembic upgrade heads` online on `database`, a scratch file.
    /// - Throws: `CLIError` when the project cannot be used or env.py connects elsewhere.
    func upgradeOnline(database: String) throws -> AlembicOnlineUpgrade {
        try run(AlembicOnlineUpgrade.self, ["upgrade"], extra: [database])
    }

    private func run<Result: Decodable>(_ type: Result.Type, _ mode: [String], extra: [String] = []) throws -> Result {
        let scratch = try ScratchDirectory(prefix: "sluice-alembic")
        let script = scratch.file("sluice_alembic_driver.py")
        guard FileManager.default.createFile(atPath: script, contents: Data(AlembicDriverScript.source.utf8)) else {
            throw CLIError.failed("cannot write the Alembic driver to \(script)")
        }
        let output = scratch.file("result.json")
        let stdout = scratch.file("stdout"), stderr = scratch.file("stderr")
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(python, [script] + mode + [output, configuration, section] + extra,
                                               stdout: stdout, stderr: stderr,
                                               environment: ["PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"])
        } catch {
            throw CLIError.usage("\(error); pass --python with the project's Python")
        }
        guard let data = FileManager.default.contents(atPath: output), !data.isEmpty else {
            let log = Self.tail(stderr)
            throw CLIError.failed("the Alembic driver (\(python)) \(termination) without a result\(log.isEmpty ? "" : ":\n" + log)")
        }
        let decoded: AlembicDriverOutput<Result>
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            decoded = try decoder.decode(AlembicDriverOutput<Result>.self, from: data)
        } catch {
            throw CLIError.failed("the Alembic driver's result cannot be read (\(error)); its log:\n" + Self.tail(stderr))
        }
        if let fatal = decoded.fatal {
            let log = Self.tail(stderr)
            let message = "\(configuration): \(fatal.message)" + (log.isEmpty || fatal.stage == "python" ? "" : "\nAlembic's log:\n" + log)
            throw ["python", "config"].contains(fatal.stage) ? CLIError.usage(message) : CLIError.failed(message)
        }
        return decoded.result!
    }

    /// The last lines of a log file, for an error message.
    static func tail(_ path: String, lines count: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(count).map { "    " + $0 }.joined(separator: "\n")
    }
}
