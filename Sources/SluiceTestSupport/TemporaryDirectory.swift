import Foundation

/// A directory under the system's temporary directory, removed when released, so
/// tests never leave files behind or see each other's.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: `path` is immutable after init; nothing else is stored.
    /// The directory's absolute path.
    public let path: String

    /// Creates a fresh, empty directory.
    public init(prefix: String = "sluice-test") {
        let base = NSTemporaryDirectory()
        let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
        path = (base as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    public func url(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }

    /// Writes `text` to `relative`, creating folders on the way; returns the full path.
    @discardableResult
    public func write(_ relative: String, _ text: String) -> String {
        let full = url(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }
}
