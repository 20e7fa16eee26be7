import Foundation
import Glibc
import SluiceTestSupport
import Testing
@testable import SluiceWatch

@Suite("Directory watcher on real inotify")
struct DirectoryWatcherTests {
    /// Should deliver one settled batch for a burst of writes, ignoring hidden and
    /// non-revision names.
    @Test("A burst of files is one batch; swap files and dotfiles are ignored")
    func burst() async throws {
        let directory = TemporaryDirectory()
        let watcher = try DirectoryWatcher(directory: directory.path, settle: .milliseconds(150))
        watcher.start()
        defer { watcher.stop() }
        for index in 0..<20 { directory.write("r\(index).sql", "-- x\n") }
        directory.write(".r1.sql.swp", "x")
        directory.write("notes.txt", "x")
        directory.write("r1.sql~", "x")
        var iterator = watcher.batches.makeAsyncIterator()
        let batch = await iterator.next()
        #expect(batch?.changed == Set((0..<20).map { "r\($0).sql" }))
        #expect(batch?.rescan == false)
    }

    /// Should report renames in and out, and deletions.
    @Test("Moved in, moved out and deleted files are reported")
    func movesAndDeletes() async throws {
        let directory = TemporaryDirectory()
        let outside = TemporaryDirectory()
        let victim = directory.write("gone.sql", "x")
        let watcher = try DirectoryWatcher(directory: directory.path, settle: .milliseconds(50))
        watcher.start()
        defer { watcher.stop() }
        let staged = outside.write("in.sql", "x")
        #expect(rename(staged, directory.url("in.sql")) == 0)
        unlink(victim)
        var iterator = watcher.batches.makeAsyncIterator()
        let batch = await iterator.next()
        #expect(batch?.changed == ["in.sql", "gone.sql"])
    }

    /// Should notice the directory going away and coming back, and watch it again.
    @Test("A removed and recreated directory is watched again")
    func recreated() async throws {
        let parent = TemporaryDirectory()
        let path = parent.url("versions")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let watcher = try DirectoryWatcher(directory: path, settle: .milliseconds(50))
        watcher.start()
        defer { watcher.stop() }
        var iterator = watcher.batches.makeAsyncIterator()
        try FileManager.default.removeItem(atPath: path)
        let gone = await iterator.next()
        #expect(gone?.rescan == true)
        #expect(gone?.directoryMissing == true)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let back = await iterator.next()
        #expect(back?.rescan == true)
        #expect(back?.directoryMissing == false)
        parent.write("versions/new.sql", "x")
        let file = await iterator.next()
        #expect(file?.changed == ["new.sql"])
    }

    /// Should finish the stream when stopped.
    @Test("stop() finishes the stream")
    func stop() async throws {
        let directory = TemporaryDirectory()
        let watcher = try DirectoryWatcher(directory: directory.path, settle: .milliseconds(50))
        watcher.start()
        watcher.stop()
        var iterator = watcher.batches.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }
}

@Suite("inotify event parsing")
struct InotifyEventParsingTests {
    /// Should decode records with NUL-padded names, several per buffer.
    @Test("Records with padded names decode in order")
    func parse() {
        func record(_ watch: Int32, _ mask: UInt32, _ name: String, length: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: watch) { bytes += $0 }
            withUnsafeBytes(of: mask) { bytes += $0 }
            withUnsafeBytes(of: UInt32(7)) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length)) { bytes += $0 }
            bytes += Array(name.utf8) + [UInt8](repeating: 0, count: length - name.utf8.count)
            return bytes
        }
        let buffer = record(1, UInt32(IN_CLOSE_WRITE), "a.sql", length: 16) + record(-1, UInt32(IN_Q_OVERFLOW), "", length: 0) + record(2, UInt32(IN_MOVED_TO), "bb.sql", length: 8)
        let events = buffer.withUnsafeBytes { InotifyEvent.parse($0) }
        #expect(events == [
            InotifyEvent(watch: 1, mask: UInt32(IN_CLOSE_WRITE), cookie: 7, name: "a.sql"),
            InotifyEvent(watch: -1, mask: UInt32(IN_Q_OVERFLOW), cookie: 7, name: ""),
            InotifyEvent(watch: 2, mask: UInt32(IN_MOVED_TO), cookie: 7, name: "bb.sql"),
        ])
        // A truncated record is not read past the buffer.
        let truncated = Array(buffer.prefix(20))
        #expect(truncated.withUnsafeBytes { InotifyEvent.parse($0) }.isEmpty)
    }
}
