import FoundationEssentials
import Glibc
import SluiceCore

/// Which Python runs the project's Alembic: the one the team already uses, with their
/// models importable.
///
/// `--python` names an interpreter or an `alembic` console script; a script is followed
/// to the interpreter on its `#!` line. Without it, the `alembic` executable found on
/// `PATH` is followed the same way (an activated virtual environment puts its own
/// first), else `python3` on `PATH` is used.
enum PythonInterpreter {
    /// The interpreter to run, and how it was found (for the output).
    struct Choice {
        /// The interpreter's absolute path.
        let path: String
        /// Where it came from (`--python`, the interpreter of an `alembic` script, …).
        let origin: String
    }

    /// Resolves `--python`, or the default.
    /// - Throws: `CLIError.usage` (exit 2) when nothing usable is found.
    static func resolve(_ given: String?) throws -> Choice {
        if let given {
            guard let path = executable(given) else {
                throw CLIError.usage("--python \(given): no such executable; pass the project's Python (e.g. .venv/bin/python) or its alembic script")
            }
            if let interpreter = try scriptInterpreter(path, naming: "--python \(given)") {
                return Choice(path: interpreter, origin: "the interpreter of \(path)")
            }
            return Choice(path: path, origin: "--python")
        }
        if let alembic = executable("alembic"), let interpreter = try scriptInterpreter(alembic, naming: alembic) {
            return Choice(path: interpreter, origin: "the interpreter of \(alembic)")
        }
        if let python = executable("python3") {
            return Choice(path: python, origin: "python3 on PATH")
        }
        throw CLIError.usage("no Python found: neither an alembic executable nor python3 is on PATH; pass --python with the project's interpreter")
    }

    /// `name` as an absolute path to an executable file: a path as given (relative to
    /// the working directory), a bare name searched on `PATH`.
    static func executable(_ name: String) -> String? {
        if name.contains("/") {
            let path = PathText.resolve(name, relativeTo: PathText.currentDirectory())
            return access(path, X_OK) == 0 && !isDirectory(path) ? path : nil
        }
        let search = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in search.split(separator: ":", omittingEmptySubsequences: true) {
            let path = PathText.join(String(directory), name)
            if access(path, X_OK) == 0, !isDirectory(path) { return path }
        }
        return nil
    }

    /// The interpreter a script's `#!` line names, or `nil` for a binary (no `#!`).
    /// Follows `/usr/bin/env NAME` on `PATH`, and pip's long-path launcher (`#!/bin/sh`
    /// then `'''exec' "/path/python" "$0" "$@"`).
    /// - Throws: `CLIError.usage` for a script whose interpreter cannot be found.
    static func scriptInterpreter(_ path: String, naming: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.starts(with: Array("#!".utf8)) else { return nil }
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        let lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var words = lines[0].dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first == "/bin/sh", lines.count > 1, lines[1].hasPrefix("'''exec' ") {
            let quoted = lines[1].dropFirst("'''exec' ".count)
            if quoted.first == "\"", let end = quoted.dropFirst().firstIndex(of: "\"") {
                words = [String(quoted[quoted.index(after: quoted.startIndex)..<end])]
            }
        }
        if let first = words.first, PathText.lastComponent(of: first) == "env" {
            words = Array(words.dropFirst().drop(while: { $0.hasPrefix("-") }))
        }
        guard let interpreter = words.first, let found = executable(interpreter) else {
            throw CLIError.usage("\(naming): its interpreter (`\(lines[0])`) cannot be found; pass --python with the project's Python")
        }
        return found
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }
}
