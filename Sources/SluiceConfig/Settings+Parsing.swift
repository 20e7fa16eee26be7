// Readers for the small settings tables: `backups`, `[log]` and `[validation]`.

extension BackupSettings {
    /// Reads `backups = { directory, keep }`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["directory", "keep"])
        self.init()
        directory = try table.path("directory", example: "\"var/backups\"")
        if let keep = try table.integer("keep", example: "10") {
            guard keep >= 1 else {
                throw table.context.error(table.key("keep"), "must be at least 1 (found \(keep)); a backup is taken before every change and the newest is always kept")
            }
            self.keep = keep
        }
    }
}

extension LogSettings {
    /// Reads `[log]`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["format", "level"])
        self.init()
        if let format = try table.choice("format", of: LogFormat.self) { self.format = format }
        if let level = try table.choice("level", of: LogLevel.self) { self.level = level }
    }
}

extension ValidationSettings {
    /// Reads `[validation]`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["rehearsal_max_bytes", "strict_permissions", "allow_multiple_heads", "allow_attach"])
        self.init()
        if let bytes = try table.byteSize("rehearsal_max_bytes") { rehearsalMaxBytes = bytes }
        if let strict = try table.bool("strict_permissions") { strictPermissions = strict }
        if let allow = try table.bool("allow_multiple_heads") { allowMultipleHeads = allow }
        if let allow = try table.bool("allow_attach") { allowAttach = allow }
    }
}
