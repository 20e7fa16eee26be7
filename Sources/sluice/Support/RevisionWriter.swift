import FoundationEssentials
import SluiceCore
import SluiceOS
import SluiceSQLite

/// Writes new revision files (`create`, `merge`) from `script.sql.template`, which sits
/// beside the versions directory as Alembic's `script.py.mako` does.
struct RevisionWriter {
    let workspace: Workspace

    /// The template used when the project has none.
    static let builtInTemplate = """
        -- ${message}
        --
        -- Revision ID: ${revision}
        -- Revises: ${revises}
        -- Create Date: ${create_date}
        ${extra_headers}
        -- +upgrade


        -- +downgrade

        """

    /// A revision ready to be written: where, and what.
    struct Rendered {
        /// The file's path.
        let path: String
        /// The file's text.
        let text: String
        /// The text parsed, as every revision is.
        let revision: Revision
    }

    /// Writes a revision and returns its path.
    func write(message: String, revisionID: String?, parents: [String], labels: [String], dependsOn: [String],
               empty: Bool, graph: RevisionGraph) throws -> String {
        let rendered = try render(message: message, revisionID: revisionID, parents: parents, labels: labels,
                                  dependsOn: dependsOn, empty: empty, graph: graph)
        try write(rendered)
        return rendered.path
    }

    /// The revision a template gives, parsed but not written.
    /// - Parameters:
    ///   - upgrade: SQL for the upgrade section (`${upgrades}` in the template, or after
    ///     its `-- +upgrade` line); empty for a hand-written revision.
    ///   - downgrade: the same for the downgrade section.
    ///   - headers: further `Key: value` header lines (`Destructive: allowed`).
    func render(message: String, revisionID: String?, parents: [String], labels: [String], dependsOn: [String],
                empty: Bool, graph: RevisionGraph, upgrade: String = "", downgrade: String = "", headers: [String] = []) throws -> Rendered {
        let id = revisionID ?? Self.newID()
        guard RevisionFileParser.isValidRevisionID(id) else {
            throw CLIError.usage("--rev-id \(id): a revision id is 1 to 32 letters, digits or `_`")
        }
        if graph[id] != nil { throw CLIError.failed("revision \(id) already exists (\(graph[id]!.path)); choose another --rev-id") }
        var extra = ""
        if !labels.isEmpty { extra += "-- Branch Labels: \(labels.joined(separator: ", "))\n" }
        if !dependsOn.isEmpty { extra += "-- Depends On: \(dependsOn.joined(separator: ", "))\n" }
        for header in headers { extra += "-- \(header)\n" }
        let templatePath = PathText.join(PathText.parent(of: workspace.versionsPath), "script.sql.template")
        var template = Self.builtInTemplate
        if !empty, let text = try? String(contentsOfFile: templatePath, encoding: .utf8) { template = text }
        let values = [
            "message": message.replacing("\n", with: " "),
            "revision": id,
            "revises": parents.isEmpty ? "None" : parents.joined(separator: ", "),
            "create_date": Self.createDate(),
        ]
        var text = template
        for (key, value) in values { text = text.replacing("${\(key)}", with: value) }
        text = text.replacing("${extra_headers}\n", with: extra).replacing("${extra_headers}", with: extra)
        text = Self.fill(text, marker: "upgrade", variable: "upgrades", with: upgrade)
        text = Self.fill(text, marker: "downgrade", variable: "downgrades", with: downgrade)

        let path = PathText.join(workspace.versionsPath, "\(id)_\(Self.slug(message)).sql")
        let revision: Revision
        do {
            revision = try RevisionFileParser.parse(Array(text.utf8), path: path)
        } catch {
            throw CLIError.usage("the template \(templatePath) does not give a valid revision: \(error)")
        }
        return Rendered(path: path, text: text, revision: revision)
    }

    /// Writes a rendered revision (a file already there under its name is an error, never
    /// replaced).
    func write(_ rendered: Rendered) throws {
        guard !PathText.exists(rendered.path) else { throw CLIError.failed("\(rendered.path) already exists; choose another --rev-id or message") }
        // Whole or not at all, through a dotfile: a daemon watching the directory never
        // sees half a revision.
        do { try AtomicFile.write(Array(rendered.text.utf8), to: rendered.path, mode: 0o644, hidden: true) } catch {
            throw CLIError.failed("\(error)")
        }
    }

    /// `text` with `sql` in a section: in place of `${variable}` when the template has it,
    /// else on the lines after the section's marker, replacing the blank lines there.
    static func fill(_ text: String, marker: String, variable: String, with sql: String) -> String {
        if text.contains("${\(variable)}") { return text.replacing("${\(variable)}", with: sql) }
        guard !sql.isEmpty else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let at = lines.firstIndex(where: { Self.trimmed($0).lowercased() == "-- +\(marker)" }) else { return text }
        var blank = at + 1
        while blank < lines.count && Self.trimmed(lines[blank]).isEmpty { blank += 1 }
        let following = blank < lines.count ? [""] : []
        lines.replaceSubrange((at + 1)..<blank, with: sql.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + following)
        var result = lines.joined(separator: "\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }

    /// The line without the spaces and tabs around it.
    private static func trimmed(_ line: String) -> Substring {
        var text = Substring(line)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }

    /// Twelve lower-case hex digits, as Alembic's `rev_id()`.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<12).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined()
    }

    /// The message as a file-name slug: lower case, `_` between words, at most 40
    /// characters (Alembic's `truncate_slug_length`).
    static func slug(_ message: String) -> String {
        var words: [String] = []
        var word = ""
        for character in message.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var slug = ""
        for word in words {
            let next = slug.isEmpty ? word : slug + "_" + word
            if next.count > 40 { break }
            slug = next
        }
        return slug.isEmpty ? String(words.first?.prefix(40) ?? "revision") : slug
    }

    /// `2026-11-24 10:15:00+00:00`, Alembic's format.
    static func createDate() -> String {
        let iso = Timestamp.iso8601(Date())  // 2026-11-24T10:15:00.123Z
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8)) + "+00:00"
    }
}
