// Readers for the small settings tables: `backups`, `[log]`, `[validation]`, `[metrics]`, `[control]` and `[rollout]`.

extension BackupSettings {
    /// Reads `backups = { directory, keep, max_total, max_rate, max_stall, on_long_stall }`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["directory", "keep", "max_total", "max_rate", "max_stall", "on_long_stall"])
        self.init()
        directory = try table.path("directory", example: "\"var/backups\"")
        if let keep = try table.integer("keep", example: "10") {
            guard keep >= 1 else {
                throw table.context.error(table.key("keep"), "must be at least 1 (found \(keep)); a backup is taken before every change and the newest is always kept")
            }
            self.keep = keep
        }
        if let total = try table.byteSize("max_total") {
            guard total == 0 || total >= 1 << 20 else {
                throw table.context.error(table.key("max_total"), "must be at least \"1MiB\" (found \(total) bytes), or 0 for no bound")
            }
            maxTotal = total == 0 ? nil : total
        }
        if let rate = try table.byteSize("max_rate") {
            guard rate == 0 || rate >= 1 << 20 else {
                throw table.context.error(table.key("max_rate"), "must be at least \"1MiB\" (bytes per second; found \(rate)), or 0 for no bound")
            }
            maxRate = rate == 0 ? nil : rate
        }
        if let stall = try table.duration("max_stall", example: "\"1s\"") {
            guard stall < Self.applicationBusyTimeout else {
                throw table.context.error(table.key("max_stall"), "must be below 5s (SQLite's usual busy timeout), or the application's writes would fail with \"database is locked\" while a backup holds them; \"1s\" is the default")
            }
            maxStall = stall
        }
        if let choice = try table.choice("on_long_stall", of: OnLongStall.self) { onLongStall = choice }
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

extension MetricsSettings {
    /// Reads `[metrics]`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["textfile"])
        self.init()
        if let path = try table.path("textfile", example: "\"/var/lib/prometheus/node-exporter/sluice.prom\"") {
            guard path.hasSuffix(".prom") else {
                throw table.context.error(table.key("textfile"), "must end in .prom: node_exporter's textfile collector reads only *.prom files")
            }
            textfile = path
        }
    }
}

extension ControlSettings {
    /// Reads `[control]`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["socket", "group"])
        self.init()
        socket = try table.path("socket", example: "\"/run/sluice/control.sock\"")
        if let group = try table.string("group", example: "\"sluice-operators\"") {
            guard !group.isEmpty else { throw table.context.error(table.key("group"), "must name a group") }
            self.group = group
        }
    }
}

extension RolloutSettings {
    /// Reads `[rollout]`.
    init(reading table: TableReader) throws(ConfigurationError) {
        try table.rejectUnknownKeys(allowed: ["canaries", "parallelism", "max_failures"])
        self.init()
        switch table.value("canaries") {
        case nil:
            break
        case .integer(let count)?:
            guard count >= 0 else { throw table.context.error(table.key("canaries"), "must be 0 or more (found \(count))") }
            canaries = .count(count)
        case .array(let items)?:
            var names: [String] = []
            for item in items {
                guard let name = item.string, !name.isEmpty, !name.contains("/") else {
                    throw table.context.error(table.key("canaries"), "expected member names like [\"acme.db\"] (file names in the `databases` directory), found \(TableReader.describe(item))")
                }
                names.append(name)
            }
            canaries = .names(names)
        case let other?:
            throw table.typeError("canaries", other, expected: "a count like 2 or member names like [\"acme.db\"]")
        }
        if let parallelism = try table.integer("parallelism", example: "2") {
            guard (1...256).contains(parallelism) else {
                throw table.context.error(table.key("parallelism"), "must be between 1 and 256 (found \(parallelism)); leave it out for one member per core")
            }
            self.parallelism = parallelism
        }
        if let failures = try table.integer("max_failures", example: "1") {
            guard failures >= 1 else {
                throw table.context.error(table.key("max_failures"), "must be at least 1 (found \(failures)): the rollout halts once this many members failed")
            }
            maxFailures = failures
        }
    }
}
