import Logging

/// One log event as every handler here sees it: handler, provider and call-site
/// metadata merged (the call site wins), nested values flattened to dotted keys, the
/// error folded in, and keys sorted so output is stable.
struct LogRecord: Sendable {
    /// The level.
    let level: Logger.Level
    /// The constant message text.
    let message: String
    /// Flattened metadata, sorted by key; values as text.
    let metadata: [(key: String, value: String)]
    /// The module that logged.
    let source: String
    /// The call site.
    let file: String
    /// The calling function.
    let function: String
    /// The call site's line.
    let line: UInt

    /// Builds the record; `contextMetadata` is the handler's own metadata merged with
    /// its metadata provider's (see `contextMetadata(handler:provider:)`).
    init(event: LogEvent, contextMetadata: Logger.Metadata) {
        var merged = contextMetadata
        if let explicit = event.metadata {
            merged.merge(explicit) { _, callSite in callSite }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string(String(describing: error))
        }
        var flat: [(key: String, value: String)] = []
        for (key, value) in merged {
            Self.flatten(value, key: key, into: &flat)
        }
        flat.sort { $0.key < $1.key }
        level = event.level
        message = event.message.description
        metadata = flat
        source = event.source
        file = event.file
        function = event.function
        line = event.line
    }

    /// The `event` metadata value (`applied`, `window-opened`, …), if any.
    var event: String? {
        metadata.first { $0.key == "event" }?.value
    }

    /// A handler's metadata with its provider's on top: the part of a record that does
    /// not come from the call site. Reading the provider may touch task-locals, which is
    /// why it happens here and not in the pure field-building functions.
    static func contextMetadata(handler: Logger.Metadata, provider: Logger.MetadataProvider?) -> Logger.Metadata {
        guard let provided = provider?.get(), !provided.isEmpty else { return handler }
        return handler.merging(provided) { _, provided in provided }
    }

    /// Dictionaries become `parent.child` keys; other values become their text.
    private static func flatten(_ value: Logger.MetadataValue, key: String, into flat: inout [(key: String, value: String)]) {
        switch value {
        case .string(let text):
            flat.append((key, text))
        case .stringConvertible(let convertible):
            flat.append((key, convertible.description))
        case .array:
            flat.append((key, value.description))
        case .dictionary(let dictionary):
            for (child, childValue) in dictionary {
                flatten(childValue, key: "\(key).\(child)", into: &flat)
            }
        }
    }
}
