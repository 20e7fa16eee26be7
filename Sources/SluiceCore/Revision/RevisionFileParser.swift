/// Turns the bytes of a revision file into a `Revision`, or a `RevisionFileError` that
/// names the file, the line and the reason.
///
/// The format is SPEC §1: a leading block of `--` header lines (the message, then
/// `Key: value` lines), then the `-- +upgrade` and `-- +downgrade` sections.
public enum RevisionFileParser {
    /// Files larger than this are refused without being parsed.
    public static let maximumSize = 16 * 1024 * 1024

    /// The header keys, lower-cased, with single spaces.
    enum HeaderKey: String, CaseIterable {
        case revisionID = "revision id"
        case revises = "revises"
        case createDate = "create date"
        case branchLabels = "branch labels"
        case dependsOn = "depends on"
        case transaction = "transaction"
        case destructive = "destructive"

        var spelling: String {
            switch self {
            case .revisionID: "Revision ID"
            case .revises: "Revises"
            case .createDate: "Create Date"
            case .branchLabels: "Branch Labels"
            case .dependsOn: "Depends On"
            case .transaction: "Transaction"
            case .destructive: "Destructive"
            }
        }
    }

    /// Parses `bytes` read from `path`.
    /// - Throws: `RevisionFileError` for a file that is too large, holds NUL bytes or
    ///   invalid UTF-8, or whose header or sections are malformed.
    public static func parse(_ bytes: [UInt8], path: String) throws(RevisionFileError) -> Revision {
        func fail(_ line: Int?, _ reason: String) -> RevisionFileError {
            RevisionFileError(path: path, line: line, reason: reason)
        }
        if bytes.count > maximumSize {
            throw fail(nil, "file is \(bytes.count) bytes, over the 16 MiB limit for a revision; split it")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw fail(lineNumber(ofOffset: nul, in: bytes), "contains a NUL byte; revision files are UTF-8 text")
        }
        let normalized = Checksum.normalize(bytes)
        guard String(validating: normalized, as: UTF8.self) != nil else {
            throw fail(firstInvalidUTF8Line(normalized), "is not valid UTF-8; save the file as UTF-8")
        }
        let checksum = Checksum.of(normalized: normalized)
        // Split the validated bytes, not the String: a line feed always ends a grapheme
        // cluster, so this is the same split without walking characters.
        return try parseLines(RevisionFileLines(normalized), path: path, checksum: checksum)
    }

    private static func parseLines(_ lines: RevisionFileLines, path: String, checksum: String) throws(RevisionFileError) -> Revision {
        func fail(_ line: Int?, _ reason: String) -> RevisionFileError {
            RevisionFileError(path: path, line: line, reason: reason)
        }
        guard lines.isComment(0), lines.sectionMarker(0) == nil else {
            throw fail(1, "a revision file starts with a `--` header: the message, then `Revision ID:` and `Revises:` lines")
        }

        // The header: the leading block of `--` lines, up to a section marker.
        var headerEnd = 0
        while headerEnd < lines.count, lines.isComment(headerEnd), lines.sectionMarker(headerEnd) == nil {
            headerEnd += 1
        }
        // A placeholder's marker may stand anywhere, the header included; it is recorded,
        // not parsed as a header line, so the graph keeps the revision and validation
        // rejects the file at the marker's line.
        let placeholder = (0..<lines.count).first(where: lines.isPlaceholder)
        var message = lines.commentText(0)
        var keyLinesStart = 1
        if let (key, _) = keyValue(message), HeaderKey(rawValue: key) != nil {
            message = ""
            keyLinesStart = 0
        }
        var values: [HeaderKey: (value: String, line: Int)] = [:]
        for index in keyLinesStart..<headerEnd {
            let content = lines.commentText(index)
            if content.isEmpty || index == placeholder { continue }
            guard let (key, value) = keyValue(content) else {
                throw fail(index + 1, "expected `Key: value` in the header, found `\(content)`; free text belongs in the message line")
            }
            guard let known = HeaderKey(rawValue: key) else {
                let allowed = HeaderKey.allCases.map(\.spelling).joined(separator: ", ")
                throw fail(index + 1, "unknown header key `\(content.prefix(while: { $0 != ":" }))`; the keys are \(allowed)")
            }
            if let earlier = values[known] {
                throw fail(index + 1, "`\(known.spelling)` appears twice (first on line \(earlier.line))")
            }
            values[known] = (value, index + 1)
        }

        guard let idEntry = values[.revisionID] else {
            throw fail(nil, "the header has no `Revision ID:` line")
        }
        let id = idEntry.value
        guard isValidRevisionID(id) else {
            throw fail(idEntry.line, "revision id `\(id)` must be 1 to 32 letters, digits or `_` (it must fit alembic_version's VARCHAR(32))")
        }
        guard let revisesEntry = values[.revises] else {
            throw fail(nil, "the header has no `Revises:` line; write `Revises: None` for a base revision")
        }
        let parents = try idList(revisesEntry.value, line: revisesEntry.line, key: .revises, own: id, path: path)
        var dependencies: [String] = []
        if let entry = values[.dependsOn] {
            dependencies = try idList(entry.value, line: entry.line, key: .dependsOn, own: id, path: path)
        }
        var labels: [String] = []
        if let entry = values[.branchLabels] {
            labels = try labelList(entry.value, line: entry.line, path: path)
        }
        var mode = Revision.TransactionMode.perMigration
        if let entry = values[.transaction] {
            guard let parsed = Revision.TransactionMode(rawValue: entry.value.lowercased()) else {
                throw fail(entry.line, "`Transaction: \(entry.value)` is not known; use `per-migration` (the default) or `none`")
            }
            mode = parsed
        }
        var destructive = false
        if let entry = values[.destructive] {
            guard entry.value.lowercased() == "allowed" else {
                throw fail(entry.line, "`Destructive: \(entry.value)` is not known; the only value is `allowed`")
            }
            destructive = true
        }

        let (upgrade, downgrade, downgradeMarker) = try sections(lines, from: headerEnd, path: path)
        var revision = Revision(
            id: id, parents: parents, dependencies: dependencies, branchLabels: labels,
            message: message, createDate: values[.createDate]?.value,
            transactionMode: mode, destructiveAllowed: destructive,
            upgrade: upgrade, downgrade: downgrade, path: path, checksum: checksum
        )
        revision.downgradeMarkerLine = downgradeMarker
        revision.placeholderLine = placeholder.map { $0 + 1 }
        return revision
    }

    /// Splits the body into the two sections, refusing SQL outside them.
    private static func sections(_ lines: RevisionFileLines, from start: Int, path: String) throws(RevisionFileError) -> (SQLSection, SQLSection?, Int?) {
        var markers: [(kind: String, line: Int)] = []
        for index in start..<lines.count {
            guard let kind = lines.sectionMarker(index) else { continue }
            guard kind == "upgrade" || kind == "downgrade" else {
                throw RevisionFileError(path: path, line: index + 1, reason: "unknown section marker `-- +\(kind)`; the sections are `-- +upgrade` and `-- +downgrade`")
            }
            if let earlier = markers.first(where: { $0.kind == kind }) {
                throw RevisionFileError(path: path, line: index + 1, reason: "a second `-- +\(kind)` section (the first starts on line \(earlier.line))")
            }
            markers.append((kind, index + 1))
        }
        let firstMarker = markers.first?.line ?? lines.count + 1
        for index in start..<(firstMarker - 1) {
            if lines.hasExecutableContent(index) {
                throw RevisionFileError(path: path, line: index + 1, reason: "SQL before `-- +upgrade`; every statement belongs to the upgrade or the downgrade section")
            }
        }
        guard let upMarker = markers.first(where: { $0.kind == "upgrade" }) else {
            throw RevisionFileError(path: path, line: nil, reason: "no `-- +upgrade` section; add a line `-- +upgrade` before the upgrade statements")
        }
        func section(_ marker: (kind: String, line: Int)) -> SQLSection {
            let next = markers.first(where: { $0.line > marker.line })?.line ?? lines.count + 1
            let body = lines.joined(marker.line..<(next - 1))
            return SQLSection(sql: body, firstLine: marker.line + 1, markerLine: marker.line)
        }
        let upgrade = section(upMarker)
        var downgrade: SQLSection?
        let downMarker = markers.first(where: { $0.kind == "downgrade" })
        if let downMarker {
            let candidate = section(downMarker)
            if SQLText.hasExecutableContent(candidate.sql) { downgrade = candidate }
        }
        return (upgrade, downgrade, downMarker?.line)
    }

    private static func idList(_ value: String, line: Int, key: HeaderKey, own: String, path: String) throws(RevisionFileError) -> [String] {
        let trimmed = value.trimmingSpaces
        if trimmed.isEmpty || trimmed == "None" || trimmed == "()" { return [] }
        var result: [String] = []
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(raw).trimmingSpaces.trimmingQuotes
            guard isValidRevisionID(item) else {
                throw RevisionFileError(path: path, line: line, reason: "`\(key.spelling)` lists `\(item)`, which is not a revision id (1 to 32 letters, digits or `_`, separated by commas)")
            }
            if item == own {
                throw RevisionFileError(path: path, line: line, reason: "revision `\(own)` lists itself in `\(key.spelling)`")
            }
            if result.contains(item) {
                throw RevisionFileError(path: path, line: line, reason: "`\(key.spelling)` lists `\(item)` twice")
            }
            result.append(item)
        }
        return result
    }

    private static func labelList(_ value: String, line: Int, path: String) throws(RevisionFileError) -> [String] {
        let trimmed = value.trimmingSpaces
        if trimmed.isEmpty || trimmed == "None" { return [] }
        var result: [String] = []
        for raw in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let label = String(raw).trimmingSpaces.trimmingQuotes
            guard !label.isEmpty, label.utf8.allSatisfy(isLabelByte) else {
                throw RevisionFileError(path: path, line: line, reason: "branch label `\(label)` must be letters, digits, `_`, `-` or `.`")
            }
            guard !["head", "heads", "base", "current"].contains(label) else {
                throw RevisionFileError(path: path, line: line, reason: "`\(label)` is a reserved target name and cannot be a branch label")
            }
            if result.contains(label) {
                throw RevisionFileError(path: path, line: line, reason: "`Branch Labels` lists `\(label)` twice")
            }
            result.append(label)
        }
        return result
    }

    /// Whether `id` is a valid revision id: `[A-Za-z0-9_]{1,32}`.
    public static func isValidRevisionID(_ id: some StringProtocol) -> Bool {
        let bytes = id.utf8
        return !bytes.isEmpty && bytes.count <= 32 && bytes.allSatisfy(isIDByte)
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        isIDByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func isComment(_ line: String) -> Bool {
        var bytes = line.utf8.drop(while: isSpaceByte).makeIterator()
        return bytes.next() == UInt8(ascii: "-") && bytes.next() == UInt8(ascii: "-")
    }

    static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    /// The text of a `--` comment line after the dashes, trimmed.
    static func commentText(_ line: String) -> String {
        var text = Substring(line.trimmingSpaces)
        text = text.dropFirst(2)
        return String(text).trimmingSpaces
    }

    /// The section name when `line` is a `-- +name` marker.
    static func sectionMarker(_ line: String) -> String? {
        guard isComment(line) else { return nil }
        let text = commentText(line)
        guard text.hasPrefix("+") else { return nil }
        let name = text.dropFirst()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter }) else { return nil }
        return name.lowercased()
    }

    /// Splits `Key: value`, returning the key lower-cased with single spaces.
    static func keyValue(_ content: String) -> (String, String)? {
        let bytes = content.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let rawKey = bytes[..<colon]
        if rawKey.allSatisfy({ $0 < 0x80 }) {
            // The usual, ASCII key: on bytes, lower-cased, separators folded to one space.
            var key: [UInt8] = []
            var pendingSpace = false
            for byte in rawKey {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                    if pendingSpace, !key.isEmpty { key.append(0x20) }
                    pendingSpace = false
                    key.append(byte | 0x20)
                case 0x20, UInt8(ascii: "_"), UInt8(ascii: "-"):
                    pendingSpace = true
                default:
                    return nil
                }
            }
            guard !rawKey.isEmpty else { return nil }
            let value = String(decoding: bytes[bytes.index(after: colon)...], as: UTF8.self).trimmingSpaces
            return (String(decoding: key, as: UTF8.self), value)
        }
        return unicodeKeyValue(content)
    }

    /// `keyValue` for a key with non-ASCII letters (never a known key, but the error
    /// should still say "unknown header key").
    private static func unicodeKeyValue(_ content: String) -> (String, String)? {
        guard let colon = content.firstIndex(of: ":") else { return nil }
        let rawKey = content[..<colon]
        guard !rawKey.isEmpty, rawKey.allSatisfy({ $0.isLetter || $0 == " " || $0 == "_" || $0 == "-" }) else { return nil }
        let key = rawKey.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).joined(separator: " ").lowercased()
        let value = String(content[content.index(after: colon)...]).trimmingSpaces
        return (key, value)
    }

    static func lineNumber(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for index in 0..<offset where bytes[index] == 0x0A { line += 1 }
        return line
    }

    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        // On bytes: spaces, tabs and carriage returns are ASCII, and walking characters
        // costs more than the rest of parsing a revision file.
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !RevisionFileParser.isSpaceByte($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !RevisionFileParser.isSpaceByte($0) })!
        if first == bytes.startIndex, bytes.index(after: last) == bytes.endIndex { return self }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// The string without one pair of surrounding quotes, as Alembic writes ids.
    var trimmingQuotes: String {
        if count >= 2, let f = first, let l = last, f == l, f == "'" || f == "\"" {
            return String(dropFirst().dropLast())
        }
        return self
    }
}
