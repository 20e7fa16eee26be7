import Foundation
import SluiceCore
import Testing
@testable import SluiceConfig

/// The path the in-memory tests pretend their text came from.
let examplePath = "/srv/app/config/sluice.toml"

/// Parses `toml`, expects a `ConfigurationError` naming `key`, and checks that the
/// description names the file and the key, and that the reason contains `reason`.
@discardableResult
func expectRejected(
    _ toml: String,
    key: String?,
    reason: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigurationError? {
    let error = #expect(throws: ConfigurationError.self, sourceLocation: sourceLocation) {
        try SluiceConfiguration.parse(toml, path: examplePath)
    }
    guard let error else { return nil }
    #expect(error.key == key, "\(error)", sourceLocation: sourceLocation)
    #expect(error.path == examplePath, sourceLocation: sourceLocation)
    #expect(error.description.hasPrefix(examplePath + ":"), sourceLocation: sourceLocation)
    if let key { #expect(error.description.contains("key `\(key)`"), "\(error)", sourceLocation: sourceLocation) }
    if let reason { #expect(error.reason.contains(reason), "\(error)", sourceLocation: sourceLocation) }
    return error
}

/// Parses `toml` that must be valid.
func parsed(_ toml: String) throws -> SluiceConfiguration {
    try SluiceConfiguration.parse(toml, path: examplePath)
}

/// A window table with sensible values for the keys the test does not care about.
func windowTOML(_ lines: String...) -> String {
    "[[window]]\n" + lines.joined(separator: "\n") + "\n"
}

/// A fresh directory under the system's temporary directory, removed when `body` returns
/// or throws, so no test leaves files behind.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let base = FileManager.default.temporaryDirectory.path
    let path = PathText.normalize("\(base)/sluice-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes `text` to `path`, creating parent directories.
func write(_ text: String, to path: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
