import Foundation
import SluiceTestSupport
import Testing
@testable import SluiceSQLite

/// Backups and rehearsal copies of a database an application keeps writing: real files,
/// a real writer in another process (Python's sqlite3, 5 s busy timeout, a commit every
/// 5 ms), in both journal modes.
@Suite("Live copies under a continuous writer", .serialized)
struct LiveCopyTests {
    /// A database of about 20 MB (5,000 rows of 4,000 random bytes) in `mode`.
    private static func database(in directory: TemporaryDirectory, mode: String) throws -> String {
        let path = directory.url("app.db")
        _ = try SQLiteShell.run(path, """
            PRAGMA journal_mode = \(mode);
            CREATE TABLE payload (id INTEGER PRIMARY KEY, b BLOB);
            INSERT INTO payload (b) SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c);
            """)
        return path
    }

    /// Should finish the backup while the application commits, without the application
    /// ever seeing `SQLITE_BUSY`, and leave a whole, restorable database.
    @Test("backup under a continuous writer: completes, restorable, integrity ok, writer never busy", arguments: ["delete", "wal"])
    func backupUnderWriter(mode: String) throws {
        let directory = TemporaryDirectory()
        let path = try Self.database(in: directory, mode: mode)
        let writer = try ApplicationWriter.Continuous(path)
        let source = try Connection(path: path, mode: .readWriteCreate)
        let store = BackupStore(directory: directory.url("backups"), keep: 3, database: path)
        let taken = try store.take(source, before: ["r1"])
        let rehearsal = try Rehearsal(copying: source, maxBytes: 1 << 30, versionTable: VersionTable())
        let outcome = try writer.stop()

        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.commits > 0)
        let expected: [CopyMethod] = mode == "wal" ? [.walSnapshot] : [.clone, .lockedSnapshot]
        #expect(expected.contains(taken.copy.method), "\(taken.copy)")
        guard case .wholeDatabase = rehearsal.copy else {
            Issue.record("the rehearsal should have copied the rows: \(rehearsal.copy)")
            return
        }
        #expect(try rehearsal.connection.scalar("SELECT count(*) FROM payload")?.integer == 5000)
        #expect(try SQLiteShell.run(taken.path, "PRAGMA integrity_check; PRAGMA journal_mode; SELECT count(*) FROM payload;") == "ok\ndelete\n5000\n")
        #expect(try Int(SQLiteShell.run(taken.path, "SELECT count(*) FROM app_events").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1)
        #expect(!FileManager.default.fileExists(atPath: taken.path + BackupStore.unfinishedSuffix))

        // Restorable: copied back over a database file, it is the same database.
        let restored = try Connection(path: directory.url("restored.db"), mode: .readWriteCreate)
        try Connection(path: taken.path, mode: .readOnly).copy(into: restored)
        #expect(try restored.scalar("PRAGMA integrity_check")?.text == "ok")
        #expect(try restored.scalar("SELECT count(*) FROM payload")?.integer == 5000)
    }

    /// Should refuse, before copying anything, a backup of a rollback-journal database
    /// that would hold the writers back longer than the bound, saying how long and what
    /// to do, and leave nothing behind.
    @Test("a stall above max_stall is predicted and the backup held, the writer untouched")
    func heldOverStall() throws {
        let directory = TemporaryDirectory()
        let path = try Self.database(in: directory, mode: "delete")
        let writer = try ApplicationWriter.Continuous(path)
        let source = try Connection(path: path, mode: .readWriteCreate)
        let store = BackupStore(directory: directory.url("backups"), keep: 3, database: path,
                                limits: CopyLimits(maxStall: .zero, overStall: .hold))
        var held: BackupStore.Failure?
        var cloned = false
        do {
            cloned = try store.take(source, before: ["r1"]).copy.method == .clone
        } catch {
            held = error
        }
        let outcome = try writer.stop()
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        // A file system that clones needs no prediction: the clone holds the lock briefly.
        guard !cloned else { return }
        let failure = try #require(held)
        #expect(failure.held)
        #expect(failure.reason.contains("would hold the application's writes for about") && failure.reason.contains("max_stall"), "\(failure.reason)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []).isEmpty)
    }

    /// Should, with `on_long_stall = "wait"`, copy in short steps that never make the
    /// writer fail: the copy either finds a quiet spell and completes, or gives up
    /// after twice an undisturbed copy's time, leaving nothing behind.
    @Test("wait: short steps under a continuous writer finish or give up, the writer never busy")
    func waitForQuiet() throws {
        let directory = TemporaryDirectory()
        let path = try Self.database(in: directory, mode: "delete")
        let writer = try ApplicationWriter.Continuous(path)
        let source = try Connection(path: path, mode: .readWriteCreate)
        let store = BackupStore(directory: directory.url("backups"), keep: 3, database: path,
                                limits: CopyLimits(maxRate: nil, maxStall: .zero, overStall: .wait))
        var result: Result<BackupStore.Taken, BackupStore.Failure>
        do { result = .success(try store.take(source, before: ["r1"])) } catch { result = .failure(error) }
        let outcome = try writer.stop()
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        switch result {
        case .success(let taken):
            #expect([.quietSteps, .clone].contains(taken.copy.method))
            #expect(try SQLiteShell.run(taken.path, "PRAGMA integrity_check; SELECT count(*) FROM payload;") == "ok\n5000\n")
        case .failure(let failure):
            #expect(failure.held && failure.reason.contains("wrote during every attempt"), "\(failure)")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []).isEmpty)
        }
    }

    /// Should rehearse on the schema alone, saying why, when copying the rows would hold
    /// the application back too long.
    @Test("rehearsal copy above max_stall: the schema alone, with the reason")
    func rehearsalSchemaOnly() throws {
        let directory = TemporaryDirectory()
        let path = try Self.database(in: directory, mode: "delete")
        let source = try Connection(path: path, mode: .readOnly)
        let rehearsal = try Rehearsal(copying: source, maxBytes: 1 << 30, versionTable: VersionTable(),
                                      limits: CopyLimits(maxStall: .zero))
        switch rehearsal.copy {
        case .schemaOnlyToSpareWrites(_, let reason):
            #expect(reason.contains("max_stall"), "\(reason)")
            #expect(try rehearsal.connection.scalar("SELECT count(*) FROM payload")?.integer == 0)
        case .wholeDatabase:
            // Only where the file system clones.
            #expect(try rehearsal.connection.scalar("SELECT count(*) FROM payload")?.integer == 5000)
        default:
            Issue.record("unexpected copy \(rehearsal.copy)")
        }
        #expect(!source.isInTransaction)
    }

    /// Should hold a backup the file system cannot hold (with its margin), before writing
    /// anything, naming the free and needed space.
    @Test("free space: a backup that would not fit is held before it starts",
          .enabled(if: SmallFilesystem.isAvailable, "needs `mount -t tmpfs` (root with CAP_SYS_ADMIN)"))
    func freeSpace() throws {
        let directory = TemporaryDirectory()
        let path = try Self.database(in: directory, mode: "wal")
        let disk = try SmallFilesystem(bytes: 8 << 20)
        let store = BackupStore(directory: disk.url("backups"), keep: 3, database: path)
        let source = try Connection(path: path, mode: .readWriteCreate)
        let failure = #expect(throws: BackupStore.Failure.self) { try store.take(source, before: ["r1"]) }
        #expect(failure?.held == true)
        #expect(failure?.reason.contains("not enough free space in \(disk.url("backups"))") == true, "\(String(describing: failure))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []).isEmpty)
    }
}

/// The clone path, on a real XFS with reflinks: the backup of a rollback-journal database
/// under a continuous writer is a `FICLONE` taken under a short read lock.
@Suite("Live copies by clone on XFS", .serialized,
       .enabled(if: CloningFilesystem.isAvailable, "needs a loop-mounted XFS image: root with CAP_SYS_ADMIN, a loop device and mkfs.xfs (xfsprogs)"))
struct CloneCopyTests {
    /// Should clone the database (backup and rehearsal alike) while the application
    /// commits, the writer never busy, the backup whole and independent of the original.
    @Test("rollback journal on XFS: backup and rehearsal by clone under a continuous writer")
    func cloneUnderWriter() throws {
        let disk = try CloningFilesystem()
        let path = disk.url("app.db")
        _ = try SQLiteShell.run(path, """
            CREATE TABLE payload (id INTEGER PRIMARY KEY, b BLOB);
            INSERT INTO payload (b) SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c);
            """)
        let writer = try ApplicationWriter.Continuous(path)
        let source = try Connection(path: path, mode: .readWriteCreate)
        let store = BackupStore(directory: disk.url("backups"), keep: 3, database: path, limits: CopyLimits(maxStall: .zero))
        let taken = try store.take(source, before: ["r1"])
        let rehearsal = try Rehearsal(copying: source, maxBytes: 1 << 30, versionTable: VersionTable(), limits: CopyLimits(maxStall: .zero))
        _ = try SQLiteShell.run(path, "DELETE FROM payload WHERE id <= 100", busyTimeoutMilliseconds: 5000)
        let outcome = try writer.stop()

        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(taken.copy.method == .clone)
        #expect(try SQLiteShell.run(taken.path, "PRAGMA integrity_check; SELECT count(*) FROM payload;") == "ok\n5000\n")
        #expect(rehearsal.copy == .wholeDatabase(bytes: taken.copy.bytes))
        #expect(try rehearsal.connection.scalar("SELECT count(*) FROM payload")?.integer == 5000)
        let left = try FileManager.default.contentsOfDirectory(atPath: disk.path).filter { $0.contains("sluice-rehearsal") }
        #expect(left.isEmpty, "\(left)")
    }
}
