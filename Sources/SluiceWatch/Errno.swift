import Glibc

/// A failed system call's `errno`, kept as a value so callers can switch on it and
/// messages can say what the kernel said.
public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw `errno` value.
    public let code: Int32

    /// Wraps a raw value.
    public init(_ code: Int32) { self.code = code }

    /// The current thread's `errno`.
    static var current: Errno { Errno(errno) }

    public var description: String { "\(String(cString: strerror(code))) (errno \(code))" }
}
