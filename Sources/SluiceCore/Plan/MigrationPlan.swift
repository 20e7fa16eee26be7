/// Which way a revision is run.
public enum MigrationDirection: String, Sendable, Equatable {
    /// The `-- +upgrade` section.
    case upgrade
    /// The `-- +downgrade` section.
    case downgrade
}

/// One revision to run, with the `alembic_version` rows before and after it, so that the
/// bookkeeping is decided here, in pure code, and only executed by the store.
public struct MigrationStep: Sendable, Equatable {
    /// The revision to run.
    public let revision: Revision
    /// Upgrade or downgrade.
    public let direction: MigrationDirection
    /// `alembic_version` rows before this step.
    public let headsBefore: [String]
    /// `alembic_version` rows after this step.
    public let headsAfter: [String]

    /// The section that runs.
    public var section: SQLSection? {
        direction == .upgrade ? revision.upgrade : revision.downgrade
    }

    /// Creates a step.
    public init(revision: Revision, direction: MigrationDirection, headsBefore: [String], headsAfter: [String]) {
        self.revision = revision
        self.direction = direction
        self.headsBefore = headsBefore
        self.headsAfter = headsAfter
    }
}

/// The ordered steps that take a database from its current heads to a target.
public struct MigrationPlan: Sendable, Equatable {
    /// The steps in the order they run.
    public let steps: [MigrationStep]
    /// `alembic_version` rows before the first step.
    public let headsBefore: [String]
    /// `alembic_version` rows after the last step.
    public var headsAfter: [String] { steps.last?.headsAfter ?? headsBefore }
    /// Whether there is nothing to do.
    public var isEmpty: Bool { steps.isEmpty }
}

/// Why a plan cannot be made.
public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `alembic_version` names revisions that no file declares.
    case unknownCurrent([String])
    /// A downgrade would have to pass through revisions without a downgrade section.
    case irreversible([Revision])
    /// The downgrade target is not applied, so the database cannot go down to it.
    case notApplied(String)

    public var description: String {
        switch self {
        case .unknownCurrent(let ids):
            "the database is at \(ids.joined(separator: ", ")), which no file in the versions directory declares; restore the file, or `sluice stamp --purge <revision>` if the database really is there"
        case .irreversible(let revisions):
            "cannot downgrade through " + revisions.map { "\($0.id) (\($0.path)): \($0.irreversibleReason)" }.joined(separator: "; ")
                + (revisions.count == 1 ? ", so the revision is irreversible" : ", so these revisions are irreversible")
        case .notApplied(let id):
            "\(id) is not applied to this database, so it is not a downgrade target; `sluice current` shows where the database is"
        }
    }
}
