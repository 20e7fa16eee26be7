import Foundation
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// The online copy in steps that backups and `restore` use to report progress.
@Suite("Copy with progress")
struct CopyProgressTests {
    @Test("progress rises to every page, and the copy is whole and identical")
    func steps() throws {
        let directory = TemporaryDirectory()
        let source = directory.url("source.db")
        _ = try SQLiteShell.run(source, """
            CREATE TABLE t (b BLOB);
            INSERT INTO t SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c);
            """)
        let from = try Connection(path: source, mode: .readOnly)
        let into = try Connection(path: directory.url("copy.db"), mode: .readWriteCreate)
        var reports: [(Int, Int)] = []
        try from.copy(into: into) { reports.append(($0, $1)) }
        #expect(reports.count > 2, "\(reports)")
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 <= $1.0 }, "\(reports)")
        let last = try #require(reports.last)
        #expect(last.0 == last.1 && last.1 > Int(Connection.pagesPerStep) * 2, "\(reports)")
        #expect(try SQLiteShell.run(directory.url("copy.db"), "PRAGMA integrity_check; SELECT count(*) FROM t;") == "ok\n5000\n")
        #expect(!from.isInTransaction, "the snapshot's read transaction is ended")
    }
}
