import Foundation
import Glibc
import SluiceTestSupport
import Testing
@testable import SluiceSystemd

/// The notifier against a real datagram socket standing in for systemd's.
@Suite("Notifier", .serialized)
struct NotifierTests {
    @Test("Should deliver READY=1 to the socket named by NOTIFY_SOCKET")
    func ready() throws {
        let listener = try NotifySocketListener()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.isUnderSystemd)
        #expect(notifier.send([.ready]) == .sent)
        #expect(listener.receive() == "READY=1")
    }

    @Test("Should send RELOADING=1 and MONOTONIC_USEC in one datagram")
    func reloadingInOneDatagram() throws {
        let listener = try NotifySocketListener()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.send(NotifyField.reloadingNow()) == .sent)
        let datagram = try #require(listener.receive())
        let lines = datagram.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let monotonic = try #require(lines.last)
        #expect(monotonic.hasPrefix("MONOTONIC_USEC="))
        let digits = monotonic.dropFirst("MONOTONIC_USEC=".count)
        #expect(!digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber))
        #expect(listener.receive(timeout: 100) == nil, "a second datagram arrived")
    }

    @Test("Should send a STATUS with newlines as one line")
    func statusOneLine() throws {
        let listener = try NotifySocketListener()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.send(.status("held: ae1027a6acf0 failed:\nno such table: users\r\n")) == .sent)
        let datagram = try #require(listener.receive())
        #expect(datagram == "STATUS=held: ae1027a6acf0 failed: no such table: users ")
        #expect(!datagram.contains("\n") && !datagram.contains("\r"))
    }

    @Test("Should send several fields in the order given")
    func severalFields() throws {
        let listener = try NotifySocketListener()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.send(.stopping, .extendTimeout(.seconds(10)), .status("stopping")) == .sent)
        #expect(listener.receive() == "STOPPING=1\nEXTEND_TIMEOUT_USEC=10000000\nSTATUS=stopping")
    }

    @Test("Should report notUnderSystemd when NOTIFY_SOCKET is unset or empty", arguments: [[:], ["NOTIFY_SOCKET": ""]])
    func notUnderSystemd(environment: [String: String]) {
        let notifier = Notifier(environment: environment)
        #expect(!notifier.isUnderSystemd)
        #expect(notifier.send([.ready]) == .notUnderSystemd)
        #expect(notifier.send([]) == .notUnderSystemd)
    }

    @Test("Should fail with ENOENT or ECONNREFUSED for a socket path that does not exist")
    func missingPath() {
        let directory = TemporaryDirectory(prefix: "sluice-notify")
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": directory.url("absent.sock")])
        let result = notifier.send([.ready])
        #expect(result == .failed(errno: ENOENT) || result == .failed(errno: ECONNREFUSED))
    }

    @Test("Should fail with ECONNREFUSED when the path is a file nobody listens on")
    func notASocket() {
        let directory = TemporaryDirectory(prefix: "sluice-notify")
        let path = directory.write("plain-file", "")
        #expect(Notifier(environment: ["NOTIFY_SOCKET": path]).send([.watchdog]) == .failed(errno: ECONNREFUSED))
    }

    @Test("Should reach an abstract-namespace socket named @name")
    func abstractNamespace() throws {
        let name = "sluice-test-\(UUID().uuidString.prefix(12))"
        let listener = try NotifySocketListener(abstractName: name)
        #expect(listener.notifySocket == "@" + name)
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        #expect(notifier.send(.watchdog) == .sent)
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test("Should refuse addresses it cannot use, with the errno that says why")
    func unusableAddresses() {
        #expect(Notifier(environment: ["NOTIFY_SOCKET": "relative/notify.sock"]).send(.ready) == .failed(errno: EAFNOSUPPORT))
        #expect(Notifier(environment: ["NOTIFY_SOCKET": "vsock:2:1234"]).send(.ready) == .failed(errno: EAFNOSUPPORT))
        let long = "/" + String(repeating: "x", count: 200)
        #expect(Notifier(environment: ["NOTIFY_SOCKET": long]).send(.ready) == .failed(errno: ENAMETOOLONG))
    }

    @Test("Should refuse to send an empty message under systemd")
    func emptyMessage() throws {
        let listener = try NotifySocketListener()
        #expect(Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket]).send([]) == .failed(errno: EINVAL))
        #expect(listener.receive(timeout: 50) == nil)
    }

    @Test("Should build an abstract address without a trailing NUL in its length")
    func abstractAddressLength() throws {
        let address = try NotifySocketAddress(environmentValue: "@abc")?.socketAddress().get()
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        #expect(address.map { Int($0.length) } == offset + 4)
        let path = try NotifySocketAddress(environmentValue: "/run/x")?.socketAddress().get()
        #expect(path.map { Int($0.length) } == offset + 7)
    }
}
