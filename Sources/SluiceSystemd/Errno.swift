import Glibc

/// A failed call's `errno`, kept as a value so the notifier can hand it back in
/// `NotifyResult.failed(errno:)` and handlers can decide what to do with it.
///
/// Internal on purpose: `SluiceWatch` has its own public `Errno`, and a second public
/// one here would make the name ambiguous in modules that import both.
struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw, positive `errno` value.
    let code: Int32

    /// Wraps a raw value.
    init(_ code: Int32) { self.code = code }

    /// The calling thread's `errno`, read right after a failed call.
    static var current: Errno { Errno(errno) }

    /// `strerror(3)` text and the number, for operators.
    var description: String { "\(String(cString: strerror(code))) (errno \(code))" }
}
