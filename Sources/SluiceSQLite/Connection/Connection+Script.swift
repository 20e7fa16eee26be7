import CSQLite
import SluiceCore

/// A statement of a script that failed, with where it stands in its file.
public struct ScriptFailure: Error, Sendable {
    /// The file line the failing statement starts on.
    public let line: Int
    /// The failing statement's text (trimmed), for the error message.
    public let statement: String
    /// What SQLite said.
    public let error: SQLiteError
    /// Statements that ran before it.
    public let statementsRun: Int
    /// The statement ran, but afterwards the connection was no longer in the transaction
    /// the script was started in: what ran before it may have been committed.
    public var endedTransaction = false
}

extension Connection {
    /// Runs the statements of `section` one by one, letting SQLite split them (prepare
    /// with a tail pointer), so triggers, strings and semicolons in literals need no
    /// markers. Each statement is prepared only when the previous one has run, so a
    /// statement may use a table created just before it.
    ///
    /// - Parameter beforeEach: called with each statement's file line before it is
    ///   prepared, so an authorizer can tell which statement asks for what.
    /// - Parameter insideTransaction: the script runs inside a transaction the caller
    ///   opened; after each statement the connection must still be in it. Checking it
    ///   is what lets a failure later be reported as "nothing was applied".
    /// - Returns: the number of statements run.
    /// - Throws: `ScriptFailure` naming the line of the statement that failed.
    @discardableResult
    public func runScript(_ section: SQLSection, insideTransaction: Bool = false, beforeEach: (Int) -> Void = { _ in }) throws(ScriptFailure) -> Int {
        var bytes = Array(section.sql.utf8)
        let count = bytes.count
        bytes.append(0)
        var run = 0
        var offset = 0
        var failure: ScriptFailure?
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            while offset < count {
                guard let start = SQLText.firstExecutableOffset(in: bytes, from: offset, to: count) else { return }
                let line = section.fileLine(ofUTF8Offset: start)
                beforeEach(line)
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, base + start, Int32(count - start), &statement, &tail)
                let next = tail.map { $0 - base } ?? count
                let text = String(decoding: bytes[start..<max(start, min(next, count))], as: UTF8.self)
                guard rc == SQLITE_OK else {
                    let shown = text.isEmpty ? String(decoding: bytes[start..<min(count, start + 200)], as: UTF8.self) : text
                    failure = ScriptFailure(line: line, statement: Self.excerpt(shown), error: lastError(rc), statementsRun: run)
                    return
                }
                guard let statement else { offset = next; continue }
                var stepCode = sqlite3_step(statement)
                while stepCode == SQLITE_ROW { stepCode = sqlite3_step(statement) }
                if stepCode != SQLITE_DONE {
                    let error = lastError(stepCode)
                    sqlite3_finalize(statement)
                    failure = ScriptFailure(line: line, statement: Self.excerpt(text), error: error, statementsRun: run)
                    return
                }
                sqlite3_finalize(statement)
                run += 1
                if insideTransaction && sqlite3_get_autocommit(handle) != 0 {
                    var ended = ScriptFailure(line: line, statement: Self.excerpt(text),
                                              error: SQLiteError(code: SQLITE_MISUSE, message: "the statement ended the transaction sluice runs the revision in"),
                                              statementsRun: run)
                    ended.endedTransaction = true
                    failure = ended
                    return
                }
                offset = next
            }
        }
        if let failure { throw failure }
        return run
    }

    static func excerpt(_ statement: String) -> String {
        let trimmed = statement.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        let collapsed = trimmed.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return collapsed.count > 200 ? String(collapsed.prefix(200)) + "…" : collapsed
    }
}

/// Splits SQL into statements with `sqlite3_complete`, without a database: for counting
/// a revision's statements and for `--sql` output, where nothing can be prepared.
public enum SQLSplitter {
    /// The statements of `sql` with the file line each starts on; comment-only text
    /// between statements is dropped, and a trailing unterminated statement is kept.
    public static func statements(in section: SQLSection) -> [(line: Int, sql: String)] {
        let bytes = Array(section.sql.utf8)
        var result: [(Int, String)] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ";") {
                let candidate = String(decoding: bytes[start...index], as: UTF8.self)
                if sqlite3_complete(candidate) != 0 {
                    if let first = SQLText.firstExecutableOffset(in: bytes, from: start, to: index + 1) {
                        result.append((section.fileLine(ofUTF8Offset: first), String(decoding: bytes[first...index], as: UTF8.self)))
                    }
                    start = index + 1
                }
            }
            index += 1
        }
        if let first = SQLText.firstExecutableOffset(in: bytes, from: start, to: bytes.count) {
            result.append((section.fileLine(ofUTF8Offset: first), String(decoding: bytes[first..<bytes.count], as: UTF8.self)))
        }
        return result
    }
}
