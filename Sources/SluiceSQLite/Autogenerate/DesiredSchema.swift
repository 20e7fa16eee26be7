import FoundationEssentials
import SluiceCore

/// The schema a project wants, loaded from its declarative SQL: one file, or a directory
/// of `*.sql` files run in name order, holding the `CREATE TABLE / INDEX / VIEW / TRIGGER`
/// statements (a `sqlite3 .schema` or `.dump` output, or SQLAlchemy's `create_all`
/// dumped, will do). The statements run on a private scratch database, so SQLite itself
/// checks them; nothing else is touched.
public struct DesiredSchema {
    /// The scratch database holding the schema.
    public let connection: Connection
    /// The files it was loaded from, in order.
    public let files: [String]

    /// Loads `path`.
    /// - Throws: `DesiredSchemaError` naming the file and line of a statement SQLite
    ///   refuses, or a path that holds no SQL.
    public init(path: String) throws(DesiredSchemaError) {
        guard PathText.exists(path) else {
            throw DesiredSchemaError(path: path, line: nil, reason: "no such file or directory; pass --schema PATH or set `schema` in the configuration")
        }
        var files = [path]
        // A directory (or a link to one) lists; a file does not.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            files = names.filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }.sorted().map { PathText.join(path, $0) }
            guard !files.isEmpty else { throw DesiredSchemaError(path: path, line: nil, reason: "the directory holds no *.sql file") }
        }
        do { connection = try Connection.privateScratch() } catch {
            throw DesiredSchemaError(path: path, line: nil, reason: "cannot open a scratch database: \(error)")
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw DesiredSchemaError(path: file, line: nil, reason: "cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw DesiredSchemaError(path: file, line: nil, reason: "is not UTF-8")
            }
            do {
                try connection.runScript(SQLSection(sql: text, firstLine: 1, markerLine: 1))
            } catch {
                throw DesiredSchemaError(path: file, line: error.line, reason: "\(error.error.message) (in: \(error.statement))")
            }
        }
        // A `.dump` ends its own transaction; one left open would hide nothing, but is closed.
        if connection.isInTransaction { try? connection.execute("COMMIT") }
        self.files = files
    }
}

/// A desired schema that cannot be loaded.
public struct DesiredSchemaError: Error, Sendable, CustomStringConvertible {
    /// The file (or directory).
    public let path: String
    /// The line of the statement SQLite refused, when there is one.
    public let line: Int?
    /// What is wrong.
    public let reason: String

    /// `schema.sql:12: no such table: users (in: CREATE INDEX …)`.
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}
