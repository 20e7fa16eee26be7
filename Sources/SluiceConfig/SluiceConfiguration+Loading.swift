import FoundationEssentials
import SluiceCore
import SluiceOS
import TOML

extension SluiceConfiguration {
    /// Reads and checks the configuration file at `path`.
    ///
    /// - Parameter path: The file; relative paths inside it are read against its directory.
    /// - Throws: `ConfigurationError` with no key when the file is missing, a directory,
    ///   unreadable or not UTF-8, and otherwise whatever `parse(_:path:)` throws.
    public static func load(path: String) throws(ConfigurationError) -> SluiceConfiguration {
        let manager = FileManager.default
        var isDirectory = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(path: path, reason: "no configuration file here; create it "
                + "(config/sluice.toml in the repository is an example) or pass another with --config PATH")
        }
        guard !isDirectory else {
            throw ConfigurationError(path: path, reason: "is a directory; pass the path of the TOML file itself, "
                + "like --config \(path.hasSuffix("/") ? path : path + "/")sluice.toml")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(path: path, reason: "cannot be read (\(Self.explain(error))); check the file's "
                + "owner and mode, and that the service's user may read it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(path: path, reason: "is not UTF-8 text; TOML files must be UTF-8")
        }
        return try parse(text, path: path)
    }

    /// The system's wording for a read failure.
    private static func explain(_ error: any Error) -> String {
        SystemErrorText.describe(error)
    }
}
