import ArgumentParser
import FoundationEssentials
import Glibc
import SluiceDaemon
import SluiceOS
import SluiceSQLite

/// The entry point: parse, run, and map every error to SPEC §4's exit statuses
/// (argument-parser's own usage errors would exit 64; sluice promises 2).
@main
enum SluiceMain {
    static func main() {
        // Before any task exists: every task runs on the main thread's loop, never on
        // libdispatch (see SingleThreadExecutor).
        SluiceExecutors.install()
        // Start with no signal blocked: a parent that spawned sluice from a thread that
        // blocks signals (libdispatch's workers block them all) must not keep SIGTERM,
        // SIGINT or SIGHUP from reaching it. Every later thread inherits this mask.
        var nothingBlocked = sigset_t()
        sigemptyset(&nothingBlocked)
        sigprocmask(SIG_SETMASK, &nothingBlocked, nil)
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            if let direct = DirectInvocation.migrationCommand(arguments) {
                try direct.run()
                exit(0)
            }
            let command = try Sluice.parseAsRoot(arguments)
            if let asynchronous = command as? AsyncParsableCommand {
                // Safe: the task runs on this same thread's loop, after `main` hands it over.
                nonisolated(unsafe) var running = asynchronous
                Task {
                    do {
                        try await running.run()
                        exit(0)
                    } catch {
                        finish(with: error)
                    }
                }
                try SluiceExecutors.run()
                exit(0)
            }
            var synchronous = command
            try synchronous.run()
        } catch {
            finish(with: error)
        }
    }

    /// Maps an error to SPEC §4's exit statuses, printing its message, and exits.
    static func finish(with error: any Error) -> Never {
        switch error {
        case let error as CLIError:
            Output.error(error.message)
            exit(error.code)
        case let error as ExitCode:
            exit(error.rawValue)
        default:
            let code = Sluice.exitCode(for: error)
            let message = Sluice.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            Output.error(message)
            exit(code == .validationFailure ? 2 : Int32(code.rawValue))
        }
    }
}

/// The root command.
struct Sluice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Migrations for SQLite: an Alembic-style CLI and a daemon that applies them in maintenance windows.",
        version: "\(SluiceVersion.current) (\(buildRevision))",
        subcommands: [
            Init.self, Current.self, Create.self, Upgrade.self, Downgrade.self, History.self, Heads.self,
            Branches.self, Show.self, Merge.self, Stamp.self, Reset.self, Restore.self, Check.self, Diff.self, Status.self, Windows.self, Serve.self, Wait.self,
            Pause.self, Resume.self, ApplyNow.self, Retry.self,
            Import.self,
        ]
    )
}

/// Printing helpers: results on stdout, diagnostics on stderr.
enum Output {
    /// Writes a line to stderr.
    static func error(_ message: String) {
        let line = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
        // A diagnostic that cannot be written has nowhere else to go.
        _ = try? FileDescriptor.standardError.writeAll(line)
    }

    /// Prints a `--json` report, keys sorted so the output is stable.
    static func json(_ report: some Encodable) throws {
        print(try JSONReportEncoder.text(report))
    }
}
