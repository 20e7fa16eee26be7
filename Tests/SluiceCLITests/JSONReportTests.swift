import Foundation
@testable import sluice
import SluiceCore
import Testing

/// `--json` reports are Codable types encoded by FoundationEssentials' `JSONEncoder`;
/// Foundation's `JSONSerialization` (what sluice printed with before it dropped
/// Foundation) is the peer for the layout scripts compare: same keys, same nulls, same
/// text.
@Suite("JSON reports")
struct JSONReportTests {
    /// `value` as `JSONSerialization` writes it with the options `--json` always had.
    static func peer(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(
            withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// A revision file's text; `createDate: nil` leaves the header line out.
    static func revision(_ id: String, revises: String, createDate: String?, extra: [String] = [], downgrade: Bool = true) throws -> Revision {
        var lines = ["-- Revision \(id)", "--", "-- Revision ID: \(id)", "-- Revises: \(revises)"]
        if let createDate { lines.append("-- Create Date: \(createDate)") }
        lines += extra.map { "-- \($0)" }
        lines += ["", "-- +upgrade", "CREATE TABLE t_\(id) (x);"]
        if downgrade { lines += ["", "-- +downgrade", "DROP TABLE t_\(id);"] }
        let text = lines.joined(separator: "\n") + "\n"
        return try RevisionFileParser.parse(Array(text.utf8), path: "/v/\(id).sql")
    }

    @Test("A revision: every key, create_date null when the header has none, laid out as JSONSerialization does")
    func revision() throws {
        let base = try Self.revision("a1", revises: "None", createDate: "2026-11-24 10:15:00+00:00", extra: ["Branch Labels: core"])
        let left = try Self.revision("b2", revises: "a1", createDate: nil, extra: ["Transaction: none", "Destructive: allowed"], downgrade: false)
        let right = try Self.revision("c3", revises: "a1", createDate: nil, extra: ["Depends On: b2"])
        let graph = RevisionGraph.analyze([base, left, right]).graph
        let format = RevisionFormatting(graph: graph, current: ["b2"])
        func expected(_ revision: Revision) -> [String: Any] {
            [
                "id": revision.id, "parents": revision.parents, "depends_on": revision.dependencies,
                "branch_labels": revision.branchLabels, "message": revision.message,
                "create_date": revision.createDate.map { $0 as Any } ?? NSNull(), "path": revision.path,
                "checksum": revision.checksum, "transaction": revision.transactionMode.rawValue,
                "destructive_allowed": revision.destructiveAllowed, "reversible": revision.isReversible,
                "is_head": revision.id != "a1", "is_base": revision.id == "a1", "is_branch_point": revision.id == "a1",
                "is_merge_point": false, "is_current": revision.id == "b2",
            ]
        }
        let report = HistoryReport(current: ["b2"], revisions: ["c3", "b2", "a1"].map(format.json))
        let ours = try JSONReportEncoder.text(report)
        #expect(ours == (try Self.peer(["current": ["b2"], "revisions": [right, left, base].map(expected)])))
        #expect(ours.contains("\"create_date\" : null"))
        #expect(ours.contains("\"create_date\" : \"2026-11-24 10:15:00+00:00\""))
    }

    @Test("Nulls, absent keys, empty arrays and escaped strings as JSONSerialization writes them")
    func layout() throws {
        let odd = "a/b \"quoted\" back\\slash\ttab\u{01}\u{1F} é\nnext"
        let windows = WindowsReport(now: "2026-11-25T09:00:00Z", openings: [
            .init(window: "always", start: nil, end: "2026-12-20T00:00:00Z", localStart: nil, timezone: "UTC", openNow: true),
            .init(window: odd, start: "2026-12-21T01:00:00Z", end: nil, localStart: "Mon 2026-12-21 02:00 +01:00",
                  timezone: "Europe/Berlin", openNow: false),
        ])
        #expect(try JSONReportEncoder.text(windows) == Self.peer([
            "now": "2026-11-25T09:00:00Z",
            "openings": [
                ["window": "always", "start": NSNull(), "end": "2026-12-20T00:00:00Z", "local_start": NSNull(), "timezone": "UTC", "open_now": true],
                ["window": odd, "start": "2026-12-21T01:00:00Z", "end": NSNull(), "local_start": "Mon 2026-12-21 02:00 +01:00",
                 "timezone": "Europe/Berlin", "open_now": false],
            ] as [Any],
        ]))
        let validation = ValidationReport(ok: false, revisions: 7, applied: 0, rehearsed: 6, problems: [
            .init(kind: "parse", message: "bad", revision: nil, file: "/v/x.sql", line: 4),
            .init(kind: "graph", message: "cycle", revision: "r1", file: nil, line: nil),
        ])
        #expect(try JSONReportEncoder.text(validation) == Self.peer([
            "ok": false, "revisions": 7, "applied": 0, "rehearsed": 6,
            "problems": [["kind": "parse", "message": "bad", "file": "/v/x.sql", "line": 4], ["kind": "graph", "message": "cycle", "revision": "r1"]],
        ] as [String: Any]))
        let unchanged = DiffReport(differs: false, desired: "schema.sql", heads: [], steps: [], losses: [], renameSuggestions: [])
        #expect(try JSONReportEncoder.text(unchanged) == Self.peer([
            "differs": false, "desired": "schema.sql", "heads": [Any](), "steps": [Any](), "losses": [Any](), "rename_suggestions": [Any](),
        ] as [String: Any]))
    }

    @Test("A version-table row no file declares is its id and \"unknown\" : true")
    func unknownRow() throws {
        let report = CurrentReport(database: "/d/app.db", current: ["gone1"], heads: [], atHeads: false, revisions: [.unknown(id: "gone1")])
        #expect(try JSONReportEncoder.text(report) == Self.peer([
            "database": "/d/app.db", "current": ["gone1"], "heads": [Any](), "at_heads": false,
            "revisions": [["id": "gone1", "unknown": true]],
        ] as [String: Any]))
    }

    @Test("U+2028 and U+2029 are escaped, as in the JSON log lines, and parse back to the same text")
    func lineSeparators() throws {
        let message = "one\u{2028}two\u{2029}three"
        let text = try JSONReportEncoder.text([message])
        #expect(text == "[\n  \"one\\u2028two\\u2029three\"\n]")
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == [message])
    }
}
