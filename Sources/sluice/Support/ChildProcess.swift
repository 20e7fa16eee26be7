import Glibc
import SluiceOS

/// Runs another program to completion, as `sluice import alembic` runs the project's
/// Python: `posix_spawn(3)` with stdin from `/dev/null` and stdout and stderr into files
/// (no pipe can fill up and stall it), then `waitpid(2)`. The executable links
/// Foundation's essentials only, which have no `Process`.
enum ChildProcess {
    /// How the program ended.
    enum Termination: Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it.
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was killed by signal \(signal)"
            }
        }
    }

    /// The program could not be started or waited for.
    struct Failure: Error, CustomStringConvertible {
        /// The program.
        let program: String
        /// The system's reason.
        let reason: String
        var description: String { "cannot run \(program): \(reason)" }
    }

    /// Runs `program` (an absolute path) with `arguments`, writing its stdout and stderr
    /// to the files at `stdout` and `stderr`, with this process's environment plus
    /// `environment`; every signal starts with its default action and none is blocked.
    /// - Throws: `Failure` when `posix_spawn` or `waitpid` fails.
    static func run(_ program: String, _ arguments: [String], stdout: String, stderr: String,
                    environment: [String: String] = [:]) throws(Failure) -> Termination {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        variables.merge(environment) { $1 }

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw Failure(program: program, reason: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        if case .failure(let error) = Errno.retrying({ waitpid(pid, &status, 0) }) {
            throw Failure(program: program, reason: "waitpid: \(error)")
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
