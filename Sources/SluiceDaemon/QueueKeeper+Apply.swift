import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// How one attempt to apply a queued revision ended.
enum ApplyOutcome: Sendable {
    /// Applied and recorded.
    case applied(milliseconds: Int)
    /// Rolled back and recorded as failed.
    case failed(String, line: Int?)
    /// The application held the database (lock or busy): try again later in the window.
    case busy(String)
    /// The disk was full and the revision was rolled back: try again later, once there
    /// may be space.
    case diskFull(String)
}

extension QueueKeeper {
    /// Applies one revision from the last evaluation with the core's transactional
    /// apply, under the database lock. Uses the revision exactly as it was validated.
    func apply(_ id: String) -> ApplyOutcome {
        guard let evaluation = last, let revision = evaluation.queue.first(where: { $0.id == id }) else {
            return .failed("\(id) is no longer in the queue", line: nil)
        }
        let options = MigrationSession.Options(database: settings.databasePath, versionTable: VersionTable(name: settings.versionTable),
                                               trigger: .daemon, policy: settings.policy, backups: backupStore)
        let clock = ContinuousClock()
        do {
            let session: MigrationSession
            do {
                session = try MigrationSession.open(options, budget: Self.lockBudget)
            } catch let error as DatabaseLock.Held {
                return .busy("\(error)")
            } catch let error as DatabaseLock.Failure {
                return .busy("\(error)")
            }
            // The lock is held until the revision is applied and recorded.
            defer { withExtendedLifetime(session) {} }
            let (lock, migrator) = (session.lock, session.migrator)
            let current = try migrator.currentHeads()
            let plan = try evaluation.graph.upgradePlan(current: current, to: [id])
            guard plan.steps.count == 1, plan.steps[0].revision.id == id, plan.steps[0].revision.checksum == revision.checksum else {
                // Someone else (a `sluice upgrade`, another daemon) changed the database since
                // the evaluation: nothing failed; the queue is derived again and retried.
                return .busy("the database moved (now at \(current.joined(separator: ", "))); \(id) needs \(plan.steps.map(\.revision.id).joined(separator: ", ")); the queue is evaluated again")
            }
            lock.announce(applying: id)
            let start = clock.now
            let reporter = ProgressReporter { [self] line in report(progress: line) }
            migrator.willRunStatement = { index, total in
                reporter.tick { "applying \(id): statement \(index + 1)/\(total), \(Self.seconds(reporter.elapsed))" }
            }
            try migrator.apply(plan.steps[0])
            let elapsed = clock.now - start
            return .applied(milliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        } catch let error as MigrationError {
            if error.isBusy { return .busy(error.description) }
            if error.isDiskFull, error.rolledBack { return .diskFull(error.description) }
            return .failed(error.description, line: error.line)
        } catch let error as SQLiteError where error.isBusy {
            return .busy(error.description)
        } catch {
            return .failed("\(error)", line: nil)
        }
    }

    /// How long an apply waits for the database in all (sluice's lock, then SQLite's
    /// busy wait, from one budget) before it gives up as busy and tries again later in
    /// the window.
    static let lockBudget: Duration = .seconds(5)

    /// Where this database's backups go.
    var backupStore: BackupStore {
        settings.configuration.backups.store(forDatabase: settings.databasePath)
    }

    /// Takes an online backup before `revisions` run, telling its progress.
    func backup(before revisions: [String]) -> Result<BackupStore.Taken, BackupStore.Failure> {
        let store = backupStore
        do {
            let source = try Connection(path: settings.databasePath, mode: .readWriteCreate)
            let pageSize = Int64((try? source.scalar("PRAGMA page_size")?.integer) ?? 4096)
            let reporter = ProgressReporter { [self] line in report(progress: line) }
            return .success(try store.take(source, before: revisions) { copied, total in
                reporter.tick {
                    let percent = total > 0 ? copied * 100 / total : 100
                    return "backing up before \(revisions.first ?? "")…: \(percent)% of \(ByteCountText.text(Int64(total) * pageSize)), \(Self.seconds(reporter.elapsed))"
                }
            })
        } catch let error as BackupStore.Failure {
            return .failure(error)
        } catch {
            return .failure(BackupStore.Failure(path: store.directory, reason: "\(error)"))
        }
    }
}
