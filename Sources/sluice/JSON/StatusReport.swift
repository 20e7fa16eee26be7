import SluiceDaemon

/// What `sluice status --json` prints: the daemon's state document, its own keys at the
/// top level as in the state file, plus where it came from and, when the configuration
/// file is broken, why.
struct StatusReport: Encodable {
    /// The running daemon's state file, or the same view computed from disk.
    let state: StateFile.Document
    /// `daemon` (read from a live daemon's state file) or `disk` (computed by `status`).
    let source: String
    /// The configuration file's error, when it is broken and a daemon still runs with its
    /// last good configuration; the key is left out otherwise.
    let configurationError: String?

    private enum CodingKeys: String, CodingKey {
        case source
        case configurationError = "configuration_error"
    }

    /// The state document's keys, then `source` and `configuration_error` beside them.
    func encode(to encoder: any Encoder) throws {
        try state.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(configurationError, forKey: .configurationError)
    }
}
