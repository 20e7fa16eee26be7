import SluiceTestSupport
import Testing
import SluiceSystemd

/// One contract for every `NotifySending` (STYLE habit 8): the real notifier over a
/// socket and the in-memory recorder must agree on what a message is.
@Suite("NotifySending contract", .serialized)
struct NotifySendingContractTests {
    /// A sender and a way to read back what it delivered, one string per message.
    struct Subject {
        let sender: any NotifySending
        let delivered: () -> [String]
        let keepAlive: AnyObject
    }

    static func real() throws -> Subject {
        let listener = try NotifySocketListener()
        let notifier = Notifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        return Subject(sender: notifier, delivered: {
            var messages: [String] = []
            while let message = listener.receive(timeout: 200) { messages.append(message) }
            return messages
        }, keepAlive: listener)
    }

    static func fake() -> Subject {
        let recorder = RecordingNotifier()
        return Subject(sender: recorder, delivered: { recorder.datagrams }, keepAlive: recorder)
    }

    @Test("Should deliver each send as one message, fields in order", arguments: ["real", "fake"])
    func oneMessagePerSend(kind: String) throws {
        let subject = kind == "real" ? try Self.real() : Self.fake()
        #expect(subject.sender.send(.ready, .status("idle · 0 pending")) == .sent)
        #expect(subject.sender.send([.reloading, .monotonic(microseconds: 42)]) == .sent)
        #expect(subject.delivered() == ["READY=1\nSTATUS=idle · 0 pending", "RELOADING=1\nMONOTONIC_USEC=42"])
    }

    @Test("Should let a test choose the recorder's answer")
    func recorderAnswer() {
        let recorder = RecordingNotifier(result: .notUnderSystemd)
        #expect(recorder.send(.ready) == .notUnderSystemd)
        recorder.answer(with: .failed(errno: 111))
        #expect(recorder.send(.watchdog) == .failed(errno: 111))
        #expect(recorder.messages == [[.ready], [.watchdog]])
    }
}
