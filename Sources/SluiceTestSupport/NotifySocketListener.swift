import Foundation
import Glibc

/// A real `AF_UNIX` datagram socket standing in for systemd's `NOTIFY_SOCKET`: bound to
/// a file in a temporary directory or to an abstract name, read with a timeout.
public final class NotifySocketListener: @unchecked Sendable {
    // @unchecked: one test uses a listener at a time; the descriptor never changes.
    /// The value to put in `NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    public let notifySocket: String
    private let fd: Int32
    private let directory: TemporaryDirectory?

    /// Binds a socket file `notify.sock` in a fresh temporary directory.
    public convenience init() throws {
        let directory = TemporaryDirectory(prefix: "sluice-notify")
        try self.init(path: directory.url("notify.sock"), directory: directory)
    }

    /// Binds the abstract name `name` (no socket file; Linux only).
    public convenience init(abstractName name: String) throws {
        try self.init(bytes: [0] + Array(name.utf8), notifySocket: "@" + name, directory: nil)
    }

    private convenience init(path: String, directory: TemporaryDirectory) throws {
        try self.init(bytes: Array(path.utf8) + [0], notifySocket: path, directory: directory)
    }

    private init(bytes: [UInt8], notifySocket: String, directory: TemporaryDirectory?) throws {
        self.notifySocket = notifySocket
        self.directory = directory
        fd = try BoundDatagramSocket.make(addressBytes: bytes)
    }

    deinit { close(fd) }

    /// The next datagram as text, or `nil` when none arrives within `timeout` ms.
    public func receive(timeout: Int32 = 2000) -> String? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, timeout) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// A failed setup call.
    public enum ListenerError: Error {
        case failed(String, Int32)
    }
}

extension NotifySocketListener {
    /// One datagram and when it arrived.
    public struct Message: Sendable {
        public let text: String
        public let at: ContinuousClock.Instant
    }

    /// Collects datagrams until `until` holds for the list or `timeout` passes.
    public func collect(timeout: Duration, until done: ([Message]) -> Bool = { _ in false }) -> [Message] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var messages: [Message] = []
        while clock.now < deadline, !done(messages) {
            let left = deadline - clock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            if let text = receive(timeout: milliseconds) { messages.append(Message(text: text, at: clock.now)) }
        }
        return messages
    }
}

/// Reads everything written to a pipe once its write end is closed.
public func withPipe(_ body: (Int32) -> Void) -> String {
    let pipe = Pipe()
    body(pipe.fileHandleForWriting.fileDescriptor)
    try? pipe.fileHandleForWriting.close()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
}
