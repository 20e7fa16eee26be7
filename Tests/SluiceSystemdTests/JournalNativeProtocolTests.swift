import Foundation
import Glibc
import Logging
import SluiceCore
@testable import SluiceSystemd
import SluiceOS
import SluiceTestSupport
import Testing

/// journald's native protocol as sluice speaks it: the exact bytes of an entry, and what
/// a real datagram socket standing in for journald receives (one datagram, or an empty
/// one carrying a sealed memory file), and the JSON fallback when nobody listens.
@Suite("Journal native protocol")
struct JournalNativeProtocolTests {
    /// Decodes an entry as journald does: `NAME=value\n`, or `NAME\n`, a little-endian
    /// 64-bit length, the value and `\n`. `nil` for anything malformed.
    static func decode(_ bytes: [UInt8]) -> [JournalField]? {
        let newline = UInt8(ascii: "\n")
        var fields: [JournalField] = []
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == newline }) else { return nil }
            let name = String(decoding: bytes[index ..< end], as: UTF8.self)
            let value: ArraySlice<UInt8>
            if bytes[end] == newline {
                guard end + 9 <= bytes.count else { return nil }
                let length = bytes[end + 1 ..< end + 9].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let start = end + 9
                guard length < UInt64(bytes.count), start + Int(length) < bytes.count,
                      bytes[start + Int(length)] == newline else { return nil }
                value = bytes[start ..< start + Int(length)]
                index = start + Int(length) + 1
            } else {
                guard let lineEnd = bytes[(end + 1)...].firstIndex(of: newline) else { return nil }
                value = bytes[(end + 1) ..< lineEnd]
                index = lineEnd + 1
            }
            fields.append(JournalField(name, String(decoding: value, as: UTF8.self)))
        }
        return fields
    }

    /// The whole content of a file from offset 0, whatever the descriptor's offset is
    /// (a passed memory file shares the sender's, which is at its end).
    static func contents(of fd: Int32) -> [UInt8] {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + offset, $0.count - offset, off_t(offset)) }
            guard count > 0 else { return Array(bytes[..<offset]) }
            offset += count
        }
        return bytes
    }

    /// `vm.memfd_noexec`: 0 (or absent, before Linux 6.3) lets a memory file go without
    /// `F_SEAL_EXEC`; 1 and 2 make the kernel add it.
    static func memfdNoExec() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/vm/memfd_noexec", encoding: .utf8)) ?? "0"
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The errno of a failed send, `nil` for success.
    static func code(_ result: Result<Void, Errno>) -> Int32? {
        if case .failure(let error) = result { return error.rawValue }
        return nil
    }

    @Test("Should serialize plain values as NAME=value and values with newlines length-prefixed, byte for byte")
    func exactBytes() throws {
        let long = String(repeating: "y", count: 299) + "\n"
        let fields = [
            JournalField("MESSAGE", "revision applied"),
            JournalField("SLUICE_ERROR", "a\nb"),
            JournalField("EMPTY", ""),
            JournalField("LONG", long),
            JournalField("CODE_LINE", "87"),
        ]
        let bytes = try JournalNativeEntry.encode(fields).get()
        var expected: [UInt8] = Array("MESSAGE=revision applied\n".utf8)
        expected += Array("SLUICE_ERROR\n".utf8) + [0x03, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb".utf8) + [0x0A]
        expected += Array("EMPTY=\n".utf8)
        expected += Array("LONG\n".utf8) + [0x2C, 0x01, 0, 0, 0, 0, 0, 0] + Array(long.utf8) + [0x0A]
        expected += Array("CODE_LINE=87\n".utf8)
        #expect(bytes == expected)
        #expect(Self.decode(bytes) == fields)
    }

    @Test("Should refuse with EINVAL an entry without fields or with a name journald would drop", arguments: [
        [], [JournalField("", "no name")], [JournalField("message", "lower case")], [JournalField("_PID", "1")],
        [JournalField("1ST", "digit first")], [JournalField("MESSAGE", "ok"), JournalField("BAD-NAME", "dash")],
        [JournalField(String(repeating: "A", count: 65), "too long")],
    ])
    func refusesInvalidEntries(fields: [JournalField]) throws {
        #expect(throws: Errno(rawValue: EINVAL)) { try JournalNativeEntry.encode(fields).get() }
        let receiver = try JournalSocketReceiver()
        #expect(Self.code(JournalSocket(path: receiver.path).send(fields)) == EINVAL)
        #expect(receiver.receive(timeout: 50) == nil, "an invalid entry was sent")
    }

    @Test("Should deliver a record as one datagram holding exactly the handler's fields")
    func deliversRecord() throws {
        let receiver = try JournalSocketReceiver()
        var line: UInt = 0
        let fallback = withPipe { fd in
            let handler = JournalLogHandler(label: "test", level: .info, fallbackFileDescriptor: fd, metadataProvider: nil,
                                            socket: JournalSocket(path: receiver.path))
            let logger = Logger(label: "test") { _ in handler }
            line = #line + 1
            logger.info("revision applied", metadata: ["event": "applied", "revision.id": "ae1027a6acf0", "error": "near \"DROP\":\nsyntax error"])
        }
        #expect(fallback.isEmpty)
        let datagram = try #require(receiver.receive())
        #expect(datagram.descriptors.isEmpty)
        #expect(Self.decode(datagram.bytes) == [
            JournalField("MESSAGE", "revision applied"),
            JournalField("PRIORITY", "6"),
            JournalField("SYSLOG_IDENTIFIER", "sluice"),
            JournalField("MESSAGE_ID", SluiceMessageID.applied),
            JournalField("CODE_FILE", "SluiceSystemdTests/JournalNativeProtocolTests.swift"),
            JournalField("CODE_LINE", String(line)),
            JournalField("CODE_FUNC", "deliversRecord()"),
            JournalField("SLUICE_ERROR", "near \"DROP\":\nsyntax error"),
            JournalField("SLUICE_EVENT", "applied"),
            JournalField("SLUICE_REVISION_ID", "ae1027a6acf0"),
        ])
        // The two-line value in the binary form: name, newline, length 25, value, newline.
        let binary = Array("\nSLUICE_ERROR\n".utf8) + [25, 0, 0, 0, 0, 0, 0, 0] + Array("near \"DROP\":\nsyntax error\n".utf8)
        #expect(datagram.bytes.firstRange(of: binary) != nil)
        #expect(datagram.bytes.firstRange(of: Array("\nSLUICE_EVENT=applied\n".utf8)) != nil)
        #expect(receiver.receive(timeout: 50) == nil, "a second datagram arrived")
    }

    @Test("Should send a 256 KiB entry as one datagram, above the kernel's default send buffer")
    func raisedSendBuffer() throws {
        let receiver = try JournalSocketReceiver()
        let fields = [JournalField("MESSAGE", String(repeating: "m", count: 256 * 1024)), JournalField("SLUICE_EVENT", "applied")]
        #expect(Self.code(JournalSocket(path: receiver.path).send(fields)) == nil)
        let datagram = try #require(receiver.receive())
        #expect(datagram.descriptors.isEmpty)
        // Compared as a Bool so a failure does not print 256 KiB of value.
        let decodedSame = Self.decode(datagram.bytes) == fields
        #expect(decodedSame, "the datagram (\(datagram.bytes.count) bytes) does not decode to the fields sent")
    }

    @Test("Should send an entry larger than any datagram as an empty datagram passing one sealed memory file")
    func largeEntryInMemoryFile() throws {
        let receiver = try JournalSocketReceiver()
        // Above 16 MiB: the send buffer is at most 8 MiB, doubled by the kernel, and an
        // AF_UNIX datagram larger than the send buffer is always EMSGSIZE.
        let event = LogEvent(
            level: .error, message: Logger.Message(stringLiteral: String(repeating: "x", count: 17 * 1024 * 1024)),
            metadata: ["event": "failed", "error": "two\nlines"], source: nil, file: "F.swift", function: "f()", line: 7
        )
        let fallback = withPipe { fd in
            JournalLogHandler(label: "test", level: .info, fallbackFileDescriptor: fd, metadataProvider: nil,
                              socket: JournalSocket(path: receiver.path)).log(event: event)
        }
        #expect(fallback.isEmpty)
        let datagram = try #require(receiver.receive())
        #expect(datagram.bytes.isEmpty)
        #expect(datagram.descriptors.count == 1)
        let fd = try #require(datagram.descriptors.first)
        defer { close(fd) }
        // F_GET_SEALS is 1034 (<linux/fcntl.h>); F_SEAL_SEAL|SHRINK|GROW|WRITE is 0xF.
        // Exactly those four, as journald before systemd 254 requires, unless
        // vm.memfd_noexec makes the kernel add F_SEAL_EXEC (0x20) to every memory file.
        let seals = fcntl(fd, 1034)
        #expect(seals >= 0 && seals & 0xF == 0xF)
        #expect(seals == 0xF || Self.memfdNoExec() >= 1, "seals 0x\(String(seals, radix: 16))")
        let contents = Self.contents(of: fd)
        let decodedSame = Self.decode(contents) == JournalLogHandler.fields(for: event)
        #expect(decodedSame, "the memory file (\(contents.count) bytes) does not decode to the record's fields")
    }

    @Test("Should fail with ENOENT and write the JSON fallback line with journal.errno when no socket exists")
    func missingSocket() throws {
        let directory = TemporaryDirectory(prefix: "sluice-journal")
        let socket = JournalSocket(path: directory.url("absent.sock"))
        #expect(Self.code(socket.send([JournalField("MESSAGE", "hello")])) == ENOENT)
        let output = withPipe { fd in
            JournalLogHandler(label: "test", level: .info, fallbackFileDescriptor: fd, metadataProvider: nil, socket: socket)
                .log(event: JournalLogHandlerTests.appliedEvent())
        }
        let object = try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["journal.errno"] as? String == String(ENOENT))
        #expect(object["message"] as? String == "revision applied")
        #expect(object["revision.id"] as? String == "ae1027a6acf0")
    }

    @Test("Should fail with ECONNREFUSED when the path is a file nobody listens on")
    func notASocket() {
        let directory = TemporaryDirectory(prefix: "sluice-journal")
        let socket = JournalSocket(path: directory.write("plain-file", ""))
        #expect(Self.code(socket.send([JournalField("MESSAGE", "hello")])) == ECONNREFUSED)
    }

    @Test("Should reach a journald that went away and came back, through the same socket")
    func journaldRestart() throws {
        let directory = TemporaryDirectory(prefix: "sluice-journal")
        let path = directory.url("journal.sock")
        let socket = JournalSocket(path: path)
        let entry = [JournalField("MESSAGE", "hello")]
        do {
            let first = try JournalSocketReceiver(path: path)
            #expect(Self.code(socket.send(entry)) == nil)
            #expect(first.receive().map(\.bytes) == Array("MESSAGE=hello\n".utf8))
        }
        #expect(Self.code(socket.send(entry)) == ENOENT)
        let second = try JournalSocketReceiver(path: path)
        #expect(Self.code(socket.send(entry)) == nil)
        #expect(Self.code(socket.send([JournalField("MESSAGE", "again")])) == nil)
        #expect(second.receive().map(\.bytes) == Array("MESSAGE=hello\n".utf8))
        #expect(second.receive().map(\.bytes) == Array("MESSAGE=again\n".utf8))
    }
}
