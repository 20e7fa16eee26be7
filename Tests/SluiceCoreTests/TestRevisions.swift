import Testing
@testable import SluiceCore

/// The path the in-memory parser tests pretend their bytes came from.
let testPath = "versions/x.sql"

/// Joins `lines` with `\n` and ends the text with one, so that a test can count the line
/// numbers it expects straight from its own source.
func fileText(_ lines: String...) -> String {
    lines.joined(separator: "\n") + "\n"
}

/// The text of a well-formed revision file with the given header values.
///
/// The layout is fixed so that tests can rely on line numbers:
/// line 1 the message, 2 `--`, 3 `Revision ID`, 4 `Revises`, then `extraHeader` (one
/// line each), a blank line, and the sections.
func revisionText(
    id: String,
    revises: String = "None",
    message: String = "Test revision",
    extraHeader: [String] = [],
    upgrade: String? = "CREATE TABLE t (x INTEGER);",
    downgrade: String? = "DROP TABLE t;"
) -> String {
    var lines = ["-- \(message)", "--", "-- Revision ID: \(id)", "-- Revises: \(revises)"]
    lines += extraHeader.map { "-- \($0)" }
    lines.append("")
    if let upgrade { lines += ["-- +upgrade", upgrade, ""] }
    if let downgrade { lines += ["-- +downgrade", downgrade, ""] }
    return lines.joined(separator: "\n")
}

/// Parses `text` as the file at `path`.
func parse(_ text: String, path: String = testPath) throws(RevisionFileError) -> Revision {
    try RevisionFileParser.parse(Array(text.utf8), path: path)
}

/// Parses `bytes`, expects a `RevisionFileError`, and checks that it names `testPath`,
/// the expected `line` (or none) and a reason containing `reason`.
@discardableResult
func expectRejected(
    _ bytes: [UInt8],
    line: Int?,
    reason: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> RevisionFileError? {
    let error = #expect(throws: RevisionFileError.self, sourceLocation: sourceLocation) {
        try RevisionFileParser.parse(bytes, path: testPath)
    }
    guard let error else { return nil }
    #expect(error.path == testPath, sourceLocation: sourceLocation)
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.reason.contains(reason), "\(error)", sourceLocation: sourceLocation)
    let prefix = line.map { "\(testPath):\($0): " } ?? "\(testPath): "
    #expect(error.description == prefix + error.reason, sourceLocation: sourceLocation)
    return error
}

/// The same for a text file.
@discardableResult
func expectRejected(
    _ text: String,
    line: Int?,
    reason: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> RevisionFileError? {
    expectRejected(Array(text.utf8), line: line, reason: reason, sourceLocation: sourceLocation)
}

/// A revision parsed from a generated file `versions/<id>_test.sql` (or `path`), for
/// graph, target and plan tests: `parents` become `Revises`, the rest optional headers.
func rev(
    _ id: String,
    _ parents: String...,
    dependsOn: [String] = [],
    labels: [String] = [],
    reversible: Bool = true,
    path: String? = nil
) throws -> Revision {
    var extra: [String] = []
    if !dependsOn.isEmpty { extra.append("Depends On: \(dependsOn.joined(separator: ", "))") }
    if !labels.isEmpty { extra.append("Branch Labels: \(labels.joined(separator: ", "))") }
    let text = revisionText(
        id: id,
        revises: parents.isEmpty ? "None" : parents.joined(separator: ", "),
        message: "revision \(id)",
        extraHeader: extra,
        upgrade: "CREATE TABLE t_\(id) (x INTEGER);",
        downgrade: reversible ? "DROP TABLE t_\(id);" : nil
    )
    return try parse(text, path: path ?? "versions/\(id)_test.sql")
}

/// The graph of `revisions`, which must be consistent.
func graph(_ revisions: Revision...) throws -> RevisionGraph {
    try RevisionGraph(revisions)
}

/// Fixed graphs shared by the target and plan tests.
enum Fixture {
    /// `abc123 <- abd456 <- bcd789`: one line, ids sharing prefixes.
    static func linear(middleReversible: Bool = true) throws -> RevisionGraph {
        try graph(
            rev("abc123"),
            rev("abd456", "abc123", reversible: middleReversible),
            rev("bcd789", "abd456")
        )
    }

    /// `root` branching into `left1 <- left2` (label `lefty` on `left1`) and `right1`.
    static func branched() throws -> [Revision] {
        [
            try rev("root"),
            try rev("left1", "root", labels: ["lefty"]),
            try rev("left2", "left1"),
            try rev("right1", "root", labels: ["righty"]),
        ]
    }

    /// `branched()` with `merge` joining `left2` and `right1`.
    static func merged() throws -> RevisionGraph {
        try RevisionGraph(branched() + [rev("merge", "left2", "right1")])
    }
}
