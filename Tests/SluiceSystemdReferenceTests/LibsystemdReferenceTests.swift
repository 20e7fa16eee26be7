import CSystemdReference
import Foundation
import Glibc
@testable import SluiceSystemd
import SluiceTestSupport
import Testing

/// sluice speaks systemd's protocols itself, so the product is a static binary without
/// libsystemd. Here Debian's libsystemd is the reference: the same inputs go through
/// `sd_notify` and sluice's `Notifier`, through `sd_journal_sendv` and sluice's journal
/// socket, to real sockets, and what arrives must be the same bytes.
@Suite("sluice's sd_notify and journald protocols against libsystemd", .serialized)
struct LibsystemdReferenceTests {
    static let notifications: [[NotifyField]] = [
        [.ready],
        [.ready, .status("Idle: nothing queued; next window \"weekend\" opens 2026-12-05 02:00 CET")],
        [.reloading, .monotonic(microseconds: 123_456_789)],
        [.watchdog],
        [.stopping, .status("Stopping: finishing revision ae1027a6acf0 (3 of 7 statements) — ünïcödé")],
        [.extendTimeout(.seconds(20))],
        [.errno(28), .status("Failed: disk full")],
        [.mainPID(4242)],
    ]

    /// What `sd_notify(0, state)` puts on the socket `NOTIFY_SOCKET` names. The variable is
    /// set only around the call: the tests' other processes get theirs explicitly.
    static func referenceNotify(_ state: String, socket: String) -> Int32 {
        setenv("NOTIFY_SOCKET", socket, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        return sd_notify(0, state)
    }

    @Test("sd_notify and Notifier send the same datagram, to a socket file and to an abstract name")
    func notify() throws {
        let directory = TemporaryDirectory(prefix: "sluice-reference")
        let path = directory.url("notify.sock")
        let abstract = "sluice-reference-\(getpid())"
        for (address, bytes) in [(path, Array(path.utf8) + [0]), ("@" + abstract, [0] + Array(abstract.utf8))] {
            let receiver = try DatagramReceiver(addressBytes: bytes)
            for fields in Self.notifications {
                #expect(Self.referenceNotify(Notifier.datagram(fields), socket: address) > 0)
                let reference = try #require(receiver.receive())
                #expect(Notifier(environment: ["NOTIFY_SOCKET": address]).send(fields) == .sent)
                let ours = try #require(receiver.receive())
                #expect(ours == reference, "\(fields) to \(address)")
                #expect(String(decoding: ours.payload, as: UTF8.self) == Notifier.datagram(fields))
            }
        }
    }

    /// journald's socket path is fixed in libsystemd, so the comparison takes it; only
    /// where no journald listens there (CI, containers).
    static var journaldSocketFree: Bool {
        let path = JournalSocket.systemPath
        guard access(path, F_OK) == 0 else { return true }
        let probe = JournalSocket(path: path)
        if case .failure(let error) = probe.send(entry: Array("SLUICE_PROBE=1\n".utf8)), error.rawValue == ECONNREFUSED { return true }
        return false
    }

    /// Bytes as readable text, control bytes escaped.
    static func shown(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x20 && $0 < 0x7f ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
    }

    /// Entries as sluice's log handler writes them: every one names `SYSLOG_IDENTIFIER`
    /// (without it, libsystemd adds the program's name and sluice adds nothing).
    static let entries: [(String, [JournalField])] = [
        ("a plain entry", [JournalField("MESSAGE", "revision ae1027a6acf0 applied"), JournalField("PRIORITY", "6")]),
        ("multi-line values", [JournalField("MESSAGE", "upgrade failed:\nno such table: users\n"), JournalField("SLUICE_STATEMENT", "CREATE INDEX ix\n  ON users (email);"), JournalField("PRIORITY", "3")]),
        ("an empty value and UTF-8", [JournalField("MESSAGE", "ünïcödé — ✓"), JournalField("SLUICE_EMPTY", ""), JournalField("CODE_LINE", "42")]),
        ("an entry too large for one datagram", [JournalField("MESSAGE", "large"), JournalField("SLUICE_BLOB", String(repeating: "0123456789abcdef\n", count: 2_000_000))]),
    ].map { label, fields in (label, fields + [JournalField("SYSLOG_IDENTIFIER", "sluice")]) }

    @Test("sd_journal_sendv and sluice's journal socket send the same entry, in a datagram or in a sealed memory file",
          .enabled(if: journaldSocketFree, "journald itself listens on /run/systemd/journal/socket"))
    func journal() throws {
        let path = JournalSocket.systemPath
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        unlink(path)
        let receiver = try DatagramReceiver(addressBytes: Array(path.utf8) + [0])
        defer { unlink(path) }
        let ours = JournalSocket(path: path)
        for (label, fields) in Self.entries {
            let strings = fields.map { strdup("\($0.name)=\($0.value)")! }
            defer { strings.forEach { free($0) } }
            var vectors = strings.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: strlen($0)) }
            let sent = sd_journal_sendv(&vectors, Int32(vectors.count))
            #expect(sent == 0, "\(label): sd_journal_sendv returned \(sent)")
            let reference = try #require(receiver.receive(), "\(label): nothing from libsystemd")
            if case .failure(let error) = ours.send(fields) { Issue.record("\(label): sluice's send failed: \(error)") }
            let mine = try #require(receiver.receive(), "\(label): nothing from sluice")
            #expect(mine.payload == reference.payload, "\(label): sluice \(Self.shown(mine.payload)) | libsystemd \(Self.shown(reference.payload))")
            #expect(mine.descriptors.count == reference.descriptors.count, "\(label): descriptors \(mine.descriptors.count) vs \(reference.descriptors.count)")
            if let referenceFile = reference.descriptors.first, let myFile = mine.descriptors.first {
                let (referenceBytes, referenceSeals) = DatagramReceiver.contents(of: referenceFile)
                let (myBytes, mySeals) = DatagramReceiver.contents(of: myFile)
                let same = myBytes == referenceBytes
                #expect(same, "\(label): the memory files differ: sluice \(myBytes.count) bytes \(Self.shown(Array(myBytes.prefix(40)))) | libsystemd \(referenceBytes.count) bytes \(Self.shown(Array(referenceBytes.prefix(40))))")
                #expect(mySeals == referenceSeals, "\(label): seals \(mySeals) vs \(referenceSeals)")
            }
            if label.contains("too large") { #expect(reference.descriptors.count == 1, "the large entry should travel in a memory file") }
            (reference.descriptors + mine.descriptors).forEach { close($0) }
        }
    }
}
