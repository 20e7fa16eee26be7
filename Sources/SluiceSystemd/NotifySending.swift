import Synchronization

/// The side-effect boundary to systemd's notification socket (STYLE habit 8): the
/// daemon depends on this protocol, production passes a `Notifier`, and tests pass a
/// `RecordingNotifier` to see what would have been sent.
public protocol NotifySending: Sendable {
    /// Sends `fields` together in one message; see `Notifier.send(_:)`.
    func send(_ fields: [NotifyField]) -> NotifyResult
}

extension NotifySending {
    /// Sends the listed fields in one message: `notifier.send(.ready, .status("idle"))`.
    public func send(_ fields: NotifyField...) -> NotifyResult {
        send(fields)
    }
}

/// An in-memory `NotifySending` for tests: keeps every message in order and answers
/// with a chosen result, so a test can check what the daemon told systemd and how it
/// copes with `.notUnderSystemd` or `.failed`.
public final class RecordingNotifier: NotifySending {
    private let state: Mutex<(messages: [[NotifyField]], result: NotifyResult)>

    /// Creates a recorder that answers every `send` with `result`.
    public init(result: NotifyResult = .sent) {
        state = Mutex((messages: [], result: result))
    }

    /// Records the message (even when the chosen result is a failure, so tests can
    /// see the attempt) and returns the chosen result.
    public func send(_ fields: [NotifyField]) -> NotifyResult {
        state.withLock { state in
            state.messages.append(fields)
            return state.result
        }
    }

    /// Every message so far, one array of fields per message, oldest first.
    public var messages: [[NotifyField]] {
        state.withLock { $0.messages }
    }

    /// Every message so far as the datagram text `Notifier` would send.
    public var datagrams: [String] {
        messages.map(Notifier.datagram)
    }

    /// Changes the answer for later messages, e.g. to simulate systemd going away.
    public func answer(with result: NotifyResult) {
        state.withLock { $0.result = result }
    }
}
