import FoundationEssentials
import SluiceCore
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

    /// Writes a revision and returns its path.
    func write(message: String, revisionID: String?, parents: [String], labels: [String], dependsOn: [String],
               empty: Bool, graph: RevisionGraph) throws -> String {
        let id = revisionID ?? Self.newID()
        guard RevisionFileParser.isValidRevisionID(id) else {
            throw CLIError.usage("--rev-id \(id): a revision id is 1 to 32 letters, digits or `_`")
        }
        if graph[id] != nil { throw CLIError.failed("revision \(id) already exists (\(graph[id]!.path)); choose another --rev-id") }
        var extra = ""
        if !labels.isEmpty { extra += "-- Branch Labels: \(labels.joined(separator: ", "))\n" }
        if !dependsOn.isEmpty { extra += "-- Depends On: \(dependsOn.joined(separator: ", "))\n" }
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

        let path = PathText.join(workspace.versionsPath, "\(id)_\(Self.slug(message)).sql")
        do {
            _ = try RevisionFileParser.parse(Array(text.utf8), path: path)
        } catch {
            throw CLIError.usage("the template \(templatePath) does not give a valid revision: \(error)")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw CLIError.failed("cannot write \(path)")
        }
        return path
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
