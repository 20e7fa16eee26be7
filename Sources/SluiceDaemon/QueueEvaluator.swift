import FoundationEssentials
import SluiceCore
import SluiceSQLite

/// The result of one evaluation: the view for the state file and what the applier needs.
public struct QueueEvaluation: Sendable {
    /// What `status` shows.
    public var view: QueueView
    /// The usable graph.
    public var graph: RevisionGraph
    /// The revisions ready to apply, in graph order.
    public var queue: [Revision]
    /// `alembic_version` rows when evaluated.
    public var current: [String]
}

/// Derives the queue from what is on disk and in the database, every time, so nothing
/// is lost when the process is killed: discovered → validated → queued, or rejected,
/// waiting (a parent is not there yet) or held (second head, applied file changed or
/// removed). The pending revisions are rehearsed once per evaluation, in graph order, on
/// one private copy of the database.
public struct QueueEvaluator {
    public var databasePath: String
    public var versionsPath: String
    public var versionTable: VersionTable
    public var allowMultipleHeads: Bool
    public var rehearsalMaxBytes: Int64
    /// How far the rehearsal's copy of the data may get in the application's way (the
    /// `backups` bounds, as for a backup).
    public var copyLimits = CopyLimits()
    /// What revisions may not do.
    public var policy = RevisionPolicy()
    /// Told a progress line now and then while a long rehearsal runs
    /// (`rehearsing r7: statement 3/10, 12 s`), at most once a second.
    public var onProgress: ((String) -> Void)?
    /// Why the whole queue is held after someone else changed the database (a manual
    /// downgrade, a restore, a stamp), until the operator releases it with a reload.
    public var externalHold: String?
    /// The last rehearsal, reused while the database and the queue's start are unchanged.
    let memo = RehearsalMemo()
    /// Where passes are remembered across restarts (`nil`: not at all), and what the
    /// basis of the remembered verdicts adds to the database: the build and the settings.
    var memoFile: (file: ValidationMemo, sluice: String, settings: String)?

    /// What the last evaluation did with the memo file, once, for the log.
    func takeMemoReport() -> ValidationMemo.Report? {
        defer { memo.report = nil }
        return memo.report
    }

    /// Creates an evaluator.
    public init(databasePath: String, versionsPath: String, versionTable: VersionTable, allowMultipleHeads: Bool, rehearsalMaxBytes: Int64) {
        self.databasePath = databasePath
        self.versionsPath = versionsPath
        self.versionTable = versionTable
        self.allowMultipleHeads = allowMultipleHeads
        self.rehearsalMaxBytes = rehearsalMaxBytes
    }

    /// Evaluates the files against the database (`nil` when it does not exist yet).
    public func evaluate(_ entries: [RevisionFileInspector.Entry], database: Connection?) -> QueueEvaluation {
        var view = QueueView(database: databasePath, versions: versionsPath)
        var revisions: [Revision] = []
        for entry in entries {
            switch entry.outcome {
            case .revision(let revision): revisions.append(revision)
            case .rejected(let error): view.rejected.append(.init(revision: nil, file: error.path, line: error.line, reason: error.reason))
            }
        }
        let analysis = RevisionGraph.analyze(revisions)
        let graph = analysis.graph
        let byID = Dictionary(revisions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for problem in analysis.problems {
            switch problem {
            case .missingParent(let id, let path, let parent):
                view.waiting.append(.init(revision: id, file: path, reason: "waiting for its parent \(parent), which is not in the versions directory yet", waitingFor: parent))
            case .missingDependency(let id, let path, let dependency):
                view.waiting.append(.init(revision: id, file: path, reason: "waiting for its dependency \(dependency), which is not in the versions directory yet", waitingFor: dependency))
            case .duplicateID(let id, let paths):
                for path in paths { view.rejected.append(.init(revision: id, file: path, reason: problem.description)) }
            case .cycle(let ids, _):
                for id in ids { view.rejected.append(.init(revision: id, file: byID[id]?.path, reason: problem.description)) }
            case .duplicateLabel(_, let ids):
                for id in ids { view.rejected.append(.init(revision: id, file: byID[id]?.path, reason: problem.description)) }
            case .labelIsRevisionID(_, let id):
                view.rejected.append(.init(revision: id, file: byID[id]?.path, reason: problem.description))
            }
        }
        for (id, ancestor) in analysis.blockedByAncestor.sorted(by: { $0.key < $1.key }) {
            view.waiting.append(.init(revision: id, file: byID[id]?.path, reason: "waiting for \(ancestor), which is missing or not usable", waitingFor: ancestor))
        }

        // The database: where it is, and whether applied history is intact.
        var current: [String] = []
        var applied = Set<String>()
        var holdAll: String?
        if let database {
            do {
                current = try versionTable.heads(in: database)
                let recorded = try HistoryTable().appliedChecksums(in: database)
                let missing = current.filter { graph[$0] == nil }
                if !missing.isEmpty {
                    holdAll = "applied revision(s) \(missing.joined(separator: ", ")) have no file in the versions directory; restore the file(s) (or `sluice stamp` the database) to release the queue"
                    for id in missing {
                        view.held.append(.init(revision: id, file: recorded[id]?.file, reason: "applied to the database, but its file is gone"))
                    }
                }
                applied = graph.ancestors(of: current.filter { graph[$0] != nil })
                for (id, entry) in recorded.sorted(by: { $0.key < $1.key }) where applied.contains(id) {
                    guard let revision = graph[id], let checksum = entry.checksum, checksum != revision.checksum else { continue }
                    view.held.append(.init(revision: id, file: revision.path, reason: "applied with checksum \(checksum), but the file now has \(revision.checksum); applied revisions are immutable: restore the file and put the change in a new revision"))
                    holdAll = holdAll ?? "the file of applied revision \(id) changed; restore it to release the queue"
                }
                if let unfinished = try HistoryTable().unfinished(in: database) {
                    holdAll = unfinished.description
                }
                view.lastApplied = try lastApplied(database)
            } catch {
                holdAll = "cannot read the database: \(error)"
            }
        }
        view.current = current
        view.heads = graph.heads

        if holdAll == nil, let externalHold { holdAll = externalHold }
        var pending = graph.order.filter { !applied.contains($0) }
        if let holdAll {
            for id in pending { view.held.append(.init(revision: id, file: graph[id]?.path, reason: "held: \(holdAll)")) }
            pending = []
        } else if graph.heads.count > 1 && !allowMultipleHeads {
            // Past the branch point nothing is applied until a merge joins the heads.
            let common = graph.heads.map { graph.ancestors(of: [$0]) }.reduce(Set(graph.order)) { $0.intersection($1) }
            let heads = graph.heads.joined(separator: " and ")
            for id in pending where !common.contains(id) {
                view.held.append(.init(revision: id, file: graph[id]?.path, reason: "would make a second head (heads: \(heads)); join them with `sluice merge -m \"merge\" heads`, or set [validation] allow_multiple_heads = true"))
            }
            pending = pending.filter(common.contains)
        }

        let queue = rehearse(pending, graph: graph, current: current, database: database, view: &view)
        view.queue = queue.map { .init(revision: $0.revision.id, file: $0.revision.path, message: $0.revision.message, checksum: $0.revision.checksum, rehearsalMilliseconds: $0.total, upgradeMilliseconds: $0.upgrade) }
        view.recount(applied: applied.count)
        return QueueEvaluation(view: view, graph: graph, queue: queue.map(\.revision), current: current)
    }

    /// Rehearses `pending` in order on one copy; returns those that passed. A revision
    /// whose prerequisite failed waits for it. What the memo already knows is reused and
    /// only the rest is rehearsed, on the memo's copy.
    private func rehearse(_ pending: [String], graph: RevisionGraph, current: [String], database: Connection?, view: inout QueueView) -> [(revision: Revision, upgrade: Int, total: Int)] {
        guard !pending.isEmpty else { return [] }
        let revisions = pending.map { graph[$0]! }
        let basis = RehearsalMemo.basis(of: database, current: current)
        var known = memo.reusable(for: revisions, basis: basis)
        var stored: ValidationMemo.Basis?
        if known == 0, let memoFile {
            stored = storedBasis(database, current: current, memoFile: memoFile)
            if let stored {
                switch memoFile.file.load(for: stored) {
                case .success(let passes) where passes.count == revisions.count
                    && zip(passes, revisions).allSatisfy({ $0.id == $1.id && $0.checksum == $1.checksum }):
                    memo.adopt(passes, for: revisions, basis: basis, stored: stored)
                    known = passes.count
                case .failure(let refusal):
                    memo.report = .ignored(refusal)
                case .success, nil:
                    break
                }
            }
        }
        if known == 0 {
            let rehearsal: Rehearsal
            do {
                if let database {
                    rehearsal = try Rehearsal(copying: database, maxBytes: rehearsalMaxBytes, versionTable: versionTable, limits: copyLimits)
                } else {
                    rehearsal = try Rehearsal(versionTable: versionTable)
                }
            } catch {
                for id in pending { view.held.append(.init(revision: id, file: graph[id]?.path, reason: "the rehearsal copy could not be made: \(error)")) }
                return []
            }
            rehearsal.policy = policy
            memo.start(rehearsal, basis: basis, heads: current, stored: stored)
        }
        var passed: [(Revision, Int, Int)] = []
        for (index, revision) in revisions.enumerated() {
            if index >= known, let rehearsal = memo.rehearsal {
                memo.record(revision, rehearseOne(revision, graph: graph, on: rehearsal))
                known += 1
            }
            switch memo.entries[index].outcome {
            case .passed(let upgrade, let total):
                passed.append((revision, upgrade, total))
            case .waiting(let blocker):
                view.waiting.append(.init(revision: revision.id, file: revision.path, reason: "waiting for \(blocker), which did not pass validation", waitingFor: blocker))
            case .failed(let error):
                view.rejected.append(.init(revision: revision.id, file: revision.path, line: error.line, reason: error.reason))
            }
        }
        return passed
    }

    /// Rehearses one revision on the memo's copy, moving the memo's heads along.
    private func rehearseOne(_ revision: Revision, graph: RevisionGraph, on rehearsal: Rehearsal) -> RehearsalMemo.Outcome {
        if let blocker = revision.prerequisites.first(where: { memo.failed[$0] != nil }) {
            memo.failed[revision.id] = memo.failed[blocker]
            return .waiting(blocker: blocker)
        }
        do {
            let step = graph.step(upgrading: revision.id, from: memo.heads)
            let clock = ContinuousClock()
            let start = clock.now
            if let onProgress {
                let reporter = ProgressReporter(emit: onProgress)
                rehearsal.willRunStatement = { index, total in
                    reporter.tick { "rehearsing \(revision.id): statement \(index + 1)/\(total), \(QueueKeeper.seconds(reporter.elapsed))" }
                }
            }
            defer { rehearsal.willRunStatement = nil }
            let upgrade = try rehearsal.rehearse(step)
            let total = clock.now - start
            memo.heads = step.headsAfter
            func milliseconds(_ duration: Duration) -> Int {
                Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
            }
            return .passed(upgrade: milliseconds(upgrade), total: milliseconds(total))
        } catch {
            memo.failed[revision.id] = revision.id
            memo.heads = (try? rehearsal.currentHeads()) ?? memo.heads
            return .failed(error)
        }
    }

    /// The memo file's basis for `database` as it is now; `nil` when its schema cannot
    /// be read (then nothing is remembered).
    private func storedBasis(_ database: Connection?, current: [String], memoFile: (file: ValidationMemo, sluice: String, settings: String)) -> ValidationMemo.Basis? {
        let schema: String
        if let database {
            guard let fingerprint = try? SchemaFingerprint.of(database) else { return nil }
            schema = fingerprint
        } else {
            schema = "absent"
        }
        return ValidationMemo.Basis(sluice: memoFile.sluice, database: databasePath, schema: schema, current: current, settings: memoFile.settings)
    }

    /// Writes the passes rehearsed since the last save to the memo file. Called by the
    /// keeper after an evaluation that a stop did not interrupt (an interrupted
    /// rehearsal's verdicts are not the truth).
    func saveMemo() {
        guard memo.unsaved, let memoFile, let stored = memo.stored else { return }
        memo.unsaved = false
        do { try memoFile.file.save(memo.passes, basis: stored) } catch { memo.report = .notSaved("\(error)") }
    }

    private func lastApplied(_ database: Connection) throws(SQLiteError) -> QueueView.LastApplied? {
        guard try database.tableExists(HistoryTable.name) else { return nil }
        guard let row = try database.rows("SELECT revision, direction, finished_at, triggered_by FROM sluice_history WHERE outcome = 'applied' ORDER BY id DESC LIMIT 1").first else { return nil }
        return .init(revision: row[0].text ?? "", direction: row[1].text ?? "", finishedAt: row[2].text ?? "", trigger: row[3].text ?? "")
    }
}
