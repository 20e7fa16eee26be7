import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// Running plans with progress output.
enum Run {
    /// Applies a plan, printing one line per revision as Alembic logs it.
    /// - Parameter migrator: may be `nil` only for an empty plan.
    /// The one line a no-op upgrade or downgrade prints (on stderr), naming where the
    /// database already is.
    static func reportNothingToDo(_ heads: [String]) {
        Output.error("nothing to do: the database is already there (\(heads.isEmpty ? "base" : JoinedText.join(heads, separator: ", ")))")
    }

    static func apply(_ plan: MigrationPlan, with migrator: Migrator?) throws {
        guard let migrator, !plan.isEmpty else {
            reportNothingToDo(plan.headsBefore)
            return
        }
        do {
            try migrator.apply(plan) { step, _ in
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

