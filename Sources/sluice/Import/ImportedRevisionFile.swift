import SluiceCore

/// The sluice revision file for one Alembic revision: the header from Alembic's `Script`
/// (same id, parents, labels, dependencies, message and create date, so a database
/// Alembic upgraded needs no stamp), the sections from the SQL Alembic rendered offline.
///
/// An Alembic `downgrade()` that renders nothing (`pass`) is Alembic's no-op, and sluice
/// reads an empty `-- +downgrade` as "irreversible", so the file says which it is:
/// - the upgrade changes only rows (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`): nothing of
///   the schema is to be undone, and the downgrade is written as an explicit no-op
///   (`SELECT 1;`), so going down through it works as it does with Alembic;
/// - the upgrade changes the schema: a no-op would leave that change behind, so the
///   revision stays irreversible (downgrading through it is refused), with a comment.
struct ImportedRevisionFile {
    /// What Alembic reported.
    let revision: AlembicRevision
    /// What the upgrade loses (tables, columns), found by rehearsing it
    /// (`DestructiveScan`): the Alembic revision does it on purpose, so the file
    /// acknowledges it with `Destructive: allowed`.
    var losses: [String] = []

    /// `<id>_<slug>.sql`, as `sluice create` names files.
    var fileName: String { "\(revision.id)_\(RevisionWriter.slug(revision.message)).sql" }

    /// Why a function cannot be rendered offline, for each that cannot; empty when the
    /// whole revision rendered.
    var unrenderable: [(function: String, reason: String)] {
        [("upgrade", revision.upgrade), ("downgrade", revision.downgrade)].compactMap { name, function in
            Self.reason(function).map { (name, $0) }
        }
    }

    /// Why `function` cannot be rendered: Alembic's exception, and the rows it tried to
    /// read, if any; `nil` when it rendered.
    static func reason(_ function: RenderedFunction) -> String? {
        guard function.statements == nil else { return nil }
        let reads = (function.reads ?? []).map { read in read.statement + (read.location.map { " at \($0)" } ?? "") }
        let readText = "it reads rows through op.get_bind() (\(reads.joined(separator: "; "))), which offline mode cannot give it"
        guard let error = function.error else {
            return readText + ", so what it does with them is missing from the SQL Alembic rendered"
        }
        return error.description + (reads.isEmpty ? "" : "; " + readText)
    }

    /// The file's text. An unrenderable revision is written as a placeholder: the
    /// marker that validation rejects, Alembic's reason, and the sections that did
    /// render; `marked: false` leaves the marker out (for the destructive scan, which
    /// rehearses what rendered).
    func text(marked: Bool = true) -> String {
        var lines = ["-- \(revision.message)", "--", "-- Revision ID: \(revision.id)",
                     "-- Revises: \(revision.parents.isEmpty ? "None" : revision.parents.joined(separator: ", "))"]
        if let date = revision.createDate { lines.append("-- Create Date: \(date)") }
        if !revision.branchLabels.isEmpty { lines.append("-- Branch Labels: \(revision.branchLabels.joined(separator: ", "))") }
        if !revision.dependencies.isEmpty { lines.append("-- Depends On: \(revision.dependencies.joined(separator: ", "))") }
        if !losses.isEmpty { lines.append("-- Destructive: allowed") }
        lines += ["", "-- Imported from Alembic (\(revision.path)) by `sluice import alembic`."]
        if !losses.isEmpty {
            lines.append("-- The upgrade drops data (\(losses.joined(separator: "; "))), as the Alembic revision does: `Destructive: allowed` acknowledges it.")
        }
        let problems = unrenderable
        if !problems.isEmpty {
            if marked { lines += ["", PlaceholderMarker.line] }
            lines.append("--")
            for (function, reason) in problems {
                lines.append("-- Alembic cannot render its \(function)() offline:")
                lines += reason.split(separator: "\n", omittingEmptySubsequences: false).map { "--   \($0)" }
            }
            lines.append("-- Write in SQL what \(revision.path) does, in the section(s) below, then remove the marker line.")
        }
        lines += ["", "-- +upgrade"]
        lines += section(revision.upgrade, function: "upgrade")
        lines += ["", "-- +downgrade"]
        lines += downgradeSection()
        return lines.joined(separator: "\n") + "\n"
    }

    private func section(_ function: RenderedFunction, function name: String) -> [String] {
        guard let statements = function.statements else {
            return ["-- To be written by hand: Alembic cannot render \(name)() offline (see above)."]
        }
        return statements.isEmpty ? [] : [statements.joined(separator: "\n\n")]
    }

    private func downgradeSection() -> [String] {
        guard let statements = revision.downgrade.statements, statements.isEmpty else {
            return section(revision.downgrade, function: "downgrade")
        }
        guard let upgrade = revision.upgrade.statements else {
            return ["-- Alembic's downgrade() does nothing (`pass`). If the upgrade you write changes only rows,",
                    "-- `SELECT 1;` here keeps going down through it a no-op, as with Alembic; left empty, it is irreversible."]
        }
        if upgrade.isEmpty { return [] }
        if upgrade.allSatisfy(Self.changesOnlyRows) {
            return ["-- Alembic's downgrade() does nothing (`pass`) and the upgrade changes only rows, so going down",
                    "-- through this revision does nothing, as with Alembic; an empty section would make it irreversible.",
                    "SELECT 1;"]
        }
        return ["-- Alembic's downgrade() does nothing (`pass`) but the upgrade changes the schema: sluice keeps this",
                "-- revision irreversible (downgrading through it is refused) rather than leave that change behind."]
    }

    /// Whether a statement only changes rows: its first word (after comments) is
    /// `INSERT`, `UPDATE`, `DELETE` or `REPLACE`.
    static func changesOnlyRows(_ statement: String) -> Bool {
        guard let offset = SQLText.firstExecutableOffset(in: statement) else { return true }
        let word = statement.utf8.dropFirst(offset).prefix { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a }
        return ["INSERT", "UPDATE", "DELETE", "REPLACE"].contains(String(decoding: word, as: UTF8.self).uppercased())
    }
}
