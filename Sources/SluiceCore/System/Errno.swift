import Glibc

/// A failed system call's `errno`, kept as a value so callers can switch on it (the
/// notifier hands it back in `NotifyResult.failed(errno:)`, the watcher tells a vanished
/// directory from a full inotify table) and messages say what the kernel said. The one
/// such type in sluice.
public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw, positive `errno` value.
    public let code: Int32

    /// Wraps a raw value.
    public init(_ code: Int32) { self.code = code }

    /// The calling thread's `errno`, read right after a failed call.
    public static var current: Errno { Errno(errno) }

    /// `strerror(3)` text and the number, for operators.
    public var description: String { "\(String(cString: strerror(code))) (errno \(code))" }
}

extension Errno {
    /// Runs a system call, again while it fails with `EINTR` (a signal arrived), and turns
    /// a negative result into the `errno` it left: the one retry loop every wrapped call
    /// goes through.
    public static func retrying<T: BinaryInteger>(_ body: () -> T) -> Result<T, Errno> {
        while true {
            let result = body()
            if result >= 0 { return .success(result) }
            let error = Errno.current
            if error.code != EINTR { return .failure(error) }
        }
    }
}
