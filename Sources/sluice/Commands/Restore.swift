import ArgumentParser
import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// `sluice restore BACKUP`: put a backup back in place of the database, under the lock.
/// The way out after a `Transaction: none` revision that stopped part-way (see docs/database.md,
/// "Recovering from a `Transaction: none` revision that did not finish").
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database with BACKUP (a file from the backup directory), keeping a copy of what it replaces.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @Argument(help: "The backup file to restore.") var backup: String

    func run() throws {
        let workspace = try Workspace(common)
        guard FileManager.default.fileExists(atPath: backup) else { throw CLIError.failed("\(backup): no such file") }
        let source: Connection
        do {
            source = try Connection(path: backup, mode: .readOnly)
            let check = try source.scalar("PRAGMA quick_check")?.text ?? ""
            guard check == "ok" else { throw CLIError.failed("\(backup) fails PRAGMA quick_check (\(check)); not restoring it") }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.failed("\(backup) is not a usable SQLite database: \(error)")
        }
        let restoredHeads = (try? workspace.versionTable.heads(in: source)) ?? []

        let session = try workspace.openForWriting(lockTimeout: lock.lockTimeout)
        let migrator = session.migrator
        let replacedHeads = (try? migrator.currentHeads()) ?? []
        // What is replaced is kept too: restoring the wrong file must not lose anything.
        let saved: String
        do {
            saved = try workspace.backupStore.backup(migrator.connection, before: ["restore"], prune: false)
        } catch {
            throw CLIError.failed("cannot keep a copy of the database before replacing it, so nothing was restored: \(error)")
        }
        let progress = TerminalProgress()
        let pageSize = Int64((try? source.scalar("PRAGMA page_size")?.integer) ?? 4096)
        defer { progress.finish() }
        do {
            try source.copy(into: migrator.connection) { copied, total in
                progress.show { "restoring: \(total > 0 ? copied * 100 / total : 100)% of \(ByteCountText.text(Int64(total) * pageSize)), \(progress.elapsed.components.seconds) s" }
            }
        } catch {
            throw CLIError.failed("restoring \(backup) failed: \(error); the database was not replaced (a copy is in \(saved))")
        }
        Output.error("replaced \(workspace.databasePath) (was at \(Self.text(replacedHeads))); its copy: \(saved)")
        print("restored \(backup): now at \(Self.text(restoredHeads))")
    }

    private static func text(_ heads: [String]) -> String { heads.isEmpty ? "base" : heads.joined(separator: ", ") }
}
