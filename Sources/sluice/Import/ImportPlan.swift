import FoundationEssentials
import Glibc
import SluiceCore
import SluiceOS
import SluiceSQLite

/// What `sluice import alembic` does with each revision's file, decided for all of them
/// before anything is written: an import either writes every file it has to or none,
/// so a failure never leaves half a graph in the versions directory.
///
/// A revision's file is the one in the versions directory that declares its id (under
/// whatever name), else `<id>_<slug>.sql`. Text identical to what the import would
/// write is left alone (a re-run is idempotent); different text is refused unless
/// `--force`. A file that declares the id of a revision Alembic cannot render, and has
/// no placeholder marker, was written by hand in its place: it is kept, even with
/// `--force` (delete it to get the placeholder again).
struct ImportPlan {
    /// What happens to one file.
    enum Action {
        /// Written: new, or replacing different text with `--force`.
        case write(replacing: Bool)
        /// Already there with this text.
        case unchanged
        /// A hand-written file in place of an unrenderable revision.
        case keptHandWritten
        /// Refused: the file is there with other text, and no `--force`.
        case conflict
        /// Cannot be rendered, and neither `--placeholders` nor a hand-written file.
        case unrenderable
    }

    /// One revision's file and its fate.
    struct Entry {
        /// The revision and its rendering.
        let file: ImportedRevisionFile
        /// Where its file is, or will be.
        let path: String
        /// The text the import writes.
        let text: String
        /// What happens to the file.
        let action: Action
    }

    /// Every revision, parents first.
    let entries: [Entry]

    /// Whether the import may write: no conflict and nothing left unrenderable.
    var canWrite: Bool {
        !entries.contains { if case .conflict = $0.action { true } else if case .unrenderable = $0.action { true } else { false } }
    }

    /// Where each revision's file is (or will be): the existing file that declares its
    /// id, else a new name in `versionsPath`.
    static func paths(for files: [ImportedRevisionFile], existing: LoadedVersions, versionsPath: String) -> [String: String] {
        var byID: [String: String] = [:]
        for revision in existing.revisions where byID[revision.id] == nil { byID[revision.id] = revision.path }
        var paths: [String: String] = [:]
        for file in files { paths[file.revision.id] = byID[file.revision.id] ?? PathText.join(versionsPath, file.fileName) }
        return paths
    }

    /// Decides every file's action.
    static func make(files: [ImportedRevisionFile], paths: [String: String], existing: LoadedVersions,
                     placeholders: Bool, force: Bool) -> ImportPlan {
        let declared = Dictionary(existing.revisions.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = files.map { file -> Entry in
            let path = paths[file.revision.id]!
            let text = file.text()
            let current = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            let action: Action
            if !file.unrenderable.isEmpty, let written = declared[path], written.id == file.revision.id, written.placeholderLine == nil {
                action = .keptHandWritten
            } else if !file.unrenderable.isEmpty, !placeholders {
                action = .unrenderable
            } else if let current {
                action = current == text ? .unchanged : force ? .write(replacing: true) : .conflict
            } else {
                action = .write(replacing: false)
            }
            return Entry(file: file, path: path, text: text, action: action)
        }
        return ImportPlan(entries: entries)
    }

    /// Writes the files to write, parents first, each through a hidden temporary file
    /// renamed into place (a watching daemon ignores dotfiles and sees each file whole),
    /// mode 0644 as `strict_permissions` wants.
    /// - Throws: `CLIError.failed` naming the file that could not be written.
    func write() throws {
        for entry in entries {
            guard case .write = entry.action else { continue }
            do { try AtomicFile.write(Array(entry.text.utf8), to: entry.path, mode: 0o644, hidden: true) } catch {
                throw CLIError.failed("\(error)")
            }
        }
    }
}
