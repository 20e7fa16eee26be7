import Glibc
import Synchronization

/// Unix signals as `AsyncStream`s, without libdispatch: a `sigaction` handler writes the
/// signal number to a pipe (about the only thing a handler may safely do), and a thread
/// blocked in `read` on the other end hands it to the streams that asked for it. Unlike
/// `sigwait` or `signalfd`, this needs no signal blocked in every thread, so it works
/// whatever threads already exist, and the reading thread sleeps until a signal comes.
public final class SignalPipe: Sendable {
    /// Handlers are process-wide, so there is one pipe.
    public static let shared = SignalPipe()

    private let subscribers = Mutex<[Int32: [AsyncStream<Int32>.Continuation]]>([:])
    private let readEnd: Int32

    private init() {
        var descriptors: [Int32] = [0, 0]
        precondition(pipe(&descriptors) == 0, "cannot create the signal pipe: \(SystemErrorText.message(errno))")
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // A handler must never block, even if the reader falls behind.
        _ = fcntl(descriptors[1], F_SETFL, fcntl(descriptors[1], F_GETFL) | O_NONBLOCK)
        SignalPipeWriteEnd.descriptor.store(descriptors[1], ordering: .releasing)
        readEnd = descriptors[0]
        DetachedThread.start(name: "sluice-signals") { [self] in deliverForever() }
    }

    /// Every delivery of any of `numbers` from now on; installs their handlers.
    public func deliveries(of numbers: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .unbounded)
        subscribers.withLock { table in
            for number in numbers {
                if table[number] == nil { Self.installHandler(number) }
                table[number, default: []].append(continuation)
            }
        }
        return stream
    }

    private static func installHandler(_ number: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = signalPipeHandler
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(number, &action, nil)
    }

    private func deliverForever() {
        var number: Int32 = 0
        while true {
            let read = withUnsafeMutableBytes(of: &number) { Syscalls.read(readEnd, into: $0) }
            guard case .success(MemoryLayout<Int32>.size) = read else { return }
            let targets = subscribers.withLock { $0[number] ?? [] }
            for continuation in targets { continuation.yield(number) }
        }
    }
}

/// The pipe's write end, for the handler (a C function pointer cannot capture it).
public enum SignalPipeWriteEnd {
    public static let descriptor = Atomic<Int32>(-1)
}

/// The `sigaction` handler: writes the signal number to the pipe, keeping `errno`.
private func signalPipeHandler(_ number: Int32) {
    let saved = errno
    var value = number
    _ = write(SignalPipeWriteEnd.descriptor.load(ordering: .acquiring), &value, MemoryLayout<Int32>.size)
    errno = saved
}
