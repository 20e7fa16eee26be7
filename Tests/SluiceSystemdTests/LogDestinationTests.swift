import Foundation
import Glibc
import Logging
import SluiceTestSupport
import Testing
import SluiceSystemd

/// Choosing journal, text or JSON from `JOURNAL_STREAM` and stderr.
@Suite("LogDestination")
struct LogDestinationTests {
    /// A temporary file opened for writing, and its `device:inode`.
    final class StreamFile {
        let directory = TemporaryDirectory(prefix: "sluice-journal")
        let fd: Int32
        let identity: String

        init() throws {
            let path = directory.write("stream", "")
            fd = open(path, O_WRONLY | O_CLOEXEC)
            var status = stat()
            guard fd >= 0, fstat(fd, &status) == 0 else { throw POSIXError(.EBADF) }
            identity = "\(status.st_dev):\(status.st_ino)"
        }

        deinit { close(fd) }
    }

    @Test("Should pick the journal when JOURNAL_STREAM names stderr's device and inode")
    func journal() throws {
        let stream = try StreamFile()
        #expect(LogDestination.automatic(environment: ["JOURNAL_STREAM": stream.identity], stderrFD: stream.fd) == .journal)
    }

    @Test("Should not pick the journal when JOURNAL_STREAM names another file or is malformed")
    func notJournal() throws {
        let stream = try StreamFile()
        let other = try StreamFile()
        let parts = stream.identity.split(separator: ":")
        let wrongInode = "\(parts[0]):\(UInt64(parts[1])! + 1)"
        for value in [other.identity, wrongInode, "", "garbage", "1:2:3", stream.identity + ":"] {
            #expect(LogDestination.automatic(environment: ["JOURNAL_STREAM": value], stderrFD: stream.fd) == .json, "\(value)")
        }
        #expect(LogDestination.automatic(environment: [:], stderrFD: stream.fd) == .json)
        #expect(LogDestination.automatic(environment: ["JOURNAL_STREAM": stream.identity], stderrFD: -1) == .json)
    }

    @Test("Should pick JSON for a pipe, which is not a terminal")
    func pipeIsJSON() {
        let pipe = Pipe()
        #expect(LogDestination.automatic(environment: [:], stderrFD: pipe.fileHandleForWriting.fileDescriptor) == .json)
    }

    @Test("Should build the handler for each destination at the given level")
    func factory() {
        #expect(makeLogHandler(label: "sluice", destination: .journal, level: .debug) is JournalLogHandler)
        #expect(makeLogHandler(label: "sluice", destination: .json, level: .debug) is JSONLinesLogHandler)
        #expect(makeLogHandler(label: "sluice", destination: .text, level: .debug) is TextLogHandler)
        #expect(makeLogHandler(label: "sluice", destination: .text, level: .error).logLevel == .error)
        #expect(LogDestination(rawValue: "journal") == .journal)
    }
}
