import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// Running plans with progress output.
enum Run {
    /// The one line a no-op upgrade or downgrade prints (on stderr), naming where the
    /// database already is.
    static func reportNothingToDo(_ heads: [String]) {
        Output.error("nothing to do: the database is already there (\(heads.isEmpty ? "base" : JoinedText.join(heads, separator: ", ")))")
    }

    /// Applies a plan, printing one line per revision as Alembic logs it.
    /// - Parameter session: may be `nil` only for an empty plan. The lock's note names
    ///   each revision while it runs; after the first, each revision may wait the whole
    ///   `--lock-timeout` again for the database.
    static func apply(_ plan: MigrationPlan, in session: Workspace.WriteSession?) throws {
        guard let session, !plan.isEmpty else {
            reportNothingToDo(plan.headsBefore)
            return
        }
        defer { session.lock.announce(applying: nil) }
        let progress = TerminalProgress()
        defer { progress.finish() }
        do {
            try session.migrator.apply(plan) { step, index in
                if index > 0 { session.migrator.connection.setBusyTimeout(session.lockTimeout) }
                session.lock.announce(applying: step.revision.id)
                let id = step.revision.id
                session.migrator.willRunStatement = { statement, total in
                    progress.show { "\(id): statement \(statement + 1)/\(total), \(progress.elapsed.components.seconds) s" }
                }
                let from = step.direction == .upgrade ? step.revision.parents.joined(separator: ", ") : step.revision.id
                let to = step.direction == .upgrade ? step.revision.id : step.revision.parents.joined(separator: ", ")
                Output.error("Running \(step.direction.rawValue) \(from) -> \(to), \(step.revision.message)")
            }
        } catch {
            throw CLIError.failed("\(error)")
        }
        print(plan.headsAfter.isEmpty ? "base" : plan.headsAfter.joined(separator: "\n"))
    }

    /// Runs a database call, turning its error into exit status 1.
    static func sqlite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as CLIError { throw error } catch { throw CLIError.failed("\(error)") }
    }
}

