import SluiceCore
import SluiceSQLite

/// What the last evaluation's rehearsal concluded, with its copy of the database still
/// holding every revision that passed, so that the next evaluation rehearses only what
/// is new: a file dropped onto a queue of hundreds is tried alone, not after all of
/// them again.
///
/// The memo is used only while nothing it was built on has changed: the same read
/// connection to the real database with the same `PRAGMA data_version` (any commit by
/// another connection, the daemon's own applies included, changes it), the same
/// version rows, and pending revisions that begin with exactly the ones rehearsed (same
/// ids, same checksums, same order). Anything else starts over from a fresh copy.
final class RehearsalMemo {
    /// What one pending revision came to.
    enum Outcome {
        /// Passed: the upgrade's time on the copy (the window estimate) and the whole
        /// rehearsal's, in milliseconds.
        case passed(upgrade: Int, total: Int)
        case failed(RehearsalFailure)
        case waiting(blocker: String)
    }

    /// One rehearsed revision.
    struct Entry {
        let id: String
        let checksum: String
        let outcome: Outcome
    }

    /// The conditions the memo was built under. The connection is held (not just its
    /// address), so a new connection can never pass for the old one.
    struct Basis: Equatable {
        let connection: Connection?
        let dataVersion: Int64?
        let current: [String]

        static func == (lhs: Basis, rhs: Basis) -> Bool {
            lhs.connection === rhs.connection && lhs.dataVersion == rhs.dataVersion && lhs.current == rhs.current
        }
    }

    private(set) var basis: Basis?
    private(set) var rehearsal: Rehearsal?
    private(set) var entries: [Entry] = []
    /// The copy's version rows after the last entry.
    var heads: [String] = []
    /// Failed revision → the revision whose failure holds it.
    var failed: [String: String] = [:]
    /// The basis the memo file would record these entries under (computed when the copy
    /// was made), `nil` when there is no memo file.
    var stored: ValidationMemo.Basis?
    /// Whether entries were recorded since the memo file was last written.
    var unsaved = false
    /// What the last evaluation did with the memo file, for the log.
    var report: ValidationMemo.Report?

    /// The basis for `database` as it is now.
    static func basis(of database: Connection?, current: [String]) -> Basis {
        Basis(connection: database,
              dataVersion: database.flatMap { try? $0.scalar("PRAGMA data_version")?.integer },
              current: current)
    }

    /// How many leading `pending` revisions the memo already answers (0 when it cannot
    /// be used, after which it is emptied). Without a copy (passes adopted from the
    /// memo file) it answers only for exactly the pending revisions it holds: a new one
    /// would need the copy they were rehearsed on.
    func reusable(for pending: [Revision], basis: Basis) -> Int {
        guard basis == self.basis, rehearsal != nil || entries.count == pending.count, entries.count <= pending.count,
              zip(entries, pending).allSatisfy({ $0.id == $1.id && $0.checksum == $1.checksum }) else {
            reset()
            return 0
        }
        return entries.count
    }

    /// Starts over on `rehearsal`, a fresh copy for `basis`.
    func start(_ rehearsal: Rehearsal, basis: Basis, heads: [String], stored: ValidationMemo.Basis?) {
        reset()
        self.rehearsal = rehearsal
        self.basis = basis
        self.heads = heads
        self.stored = stored
    }

    /// Takes `passes` remembered on disk for exactly `pending` as this memo, without a
    /// copy: nothing needs rehearsing until the basis or the pending revisions change.
    func adopt(_ passes: [ValidationMemo.Pass], for pending: [Revision], basis: Basis, stored: ValidationMemo.Basis) {
        reset()
        self.basis = basis
        self.stored = stored
        entries = zip(passes, pending).map { pass, revision in
            Entry(id: revision.id, checksum: revision.checksum, outcome: .passed(upgrade: pass.upgradeMilliseconds, total: pass.totalMilliseconds))
        }
        report = .used(revisions: entries.count)
    }

    /// Records one more rehearsed revision.
    func record(_ revision: Revision, _ outcome: Outcome) {
        entries.append(Entry(id: revision.id, checksum: revision.checksum, outcome: outcome))
        unsaved = true
    }

    /// The leading passes, as the memo file keeps them (a failure and everything after
    /// it are left out: they are tried again after a restart).
    var passes: [ValidationMemo.Pass] {
        var passes: [ValidationMemo.Pass] = []
        for entry in entries {
            guard case .passed(let upgrade, let total) = entry.outcome else { break }
            passes.append(.init(id: entry.id, checksum: entry.checksum, upgradeMilliseconds: upgrade, totalMilliseconds: total))
        }
        return passes
    }

    /// Forgets everything (a stop interrupted the rehearsal, or the basis changed).
    func reset() {
        basis = nil
        rehearsal = nil
        entries = []
        heads = []
        failed = [:]
        stored = nil
        unsaved = false
    }
}
