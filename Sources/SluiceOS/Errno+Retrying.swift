import Glibc
@_exported import SystemPackage

extension Errno {
    /// The calling thread's `errno`, read right after a failed call (swift-system keeps
    /// its own accessor internal).
    public static var last: Errno { Errno(rawValue: errno) }

    /// Runs a system call, again while it fails with `EINTR` (a signal arrived), and turns
    /// a negative result into the `errno` it left: the one retry loop every call sluice
    /// wraps itself goes through (swift-system's own calls retry by default).
    public static func retrying<T: BinaryInteger>(_ body: () -> T) -> Result<T, Errno> {
        while true {
            let result = body()
            if result >= 0 { return .success(result) }
            let error = Errno.last
            if error != .interrupted { return .failure(error) }
        }
    }

    /// The result of a swift-system call, whose failures are always `Errno` (it declares
    /// them untyped).
    public static func catching<T>(_ body: () throws -> T) -> Result<T, Errno> {
        do {
            return .success(try body())
        } catch let error as Errno {
            return .failure(error)
        } catch {
            preconditionFailure("swift-system threw a non-Errno error: \(error)")
        }
    }

    /// `strerror(3)` text and the number, for operators: `No such file or directory
    /// (errno 2)`.
    public var explanation: String { "\(description) (errno \(rawValue))" }
}
