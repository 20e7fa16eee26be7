import SluiceCore

/// The deploy-hook shapes of `upgrade` and `downgrade` — a target and the common options,
/// nothing else — read without swift-argument-parser, whose reflection-driven set-up
/// costs more than the whole no-op upgrade. Anything else (`--help`, `--sql`, an unknown
/// option, a missing downgrade target) goes through the full parser, which gives the
/// usual messages; both paths end in the same `MigrationCommand`.
enum DirectInvocation {
    /// The command to run, or `nil` when the full parser must look at the arguments.
    static func migrationCommand(_ arguments: [String]) -> MigrationCommand? {
        guard let name = arguments.first else { return nil }
        let direction: MigrationDirection
        switch name {
        case "upgrade": direction = .upgrade
        case "downgrade": direction = .downgrade
        default: return nil
        }
        var options = WorkspaceOptions()
        var lockTimeout = "30s"
        var target: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("--") {
                var key = Substring(argument)
                var value: String?
                if let equals = argument.firstIndex(of: "=") {
                    key = argument[..<equals]
                    value = String(argument[argument.index(after: equals)...])
                } else if index < arguments.count, !arguments[index].hasPrefix("-") {
                    // The full parser takes a separate word starting with `-` for an
                    // option, not a value (`--database -1` is a missing value): so does this.
                    value = arguments[index]
                    index += 1
                }
                // `--database=` is no value to the full parser (it reads the next word
                // instead): left to it.
                guard let value, !value.isEmpty else { return nil }
                switch key {
                case "--config": options.config = value
                case "--database": options.database = value
                case "--versions": options.versions = value
                case "--lock-timeout": lockTimeout = value
                default: return nil
                }
            } else if argument.hasPrefix("-"), !isRelativeStep(argument) {
                return nil
            } else {
                guard target == nil else { return nil }
                target = argument
            }
        }
        if direction == .downgrade, target == nil { return nil }
        return MigrationCommand(direction: direction, common: options, lockTimeout: lockTimeout,
                                target: target ?? "head", offline: false)
    }

    /// `-1`, `-12`: Alembic's relative targets, not options.
    private static func isRelativeStep(_ argument: String) -> Bool {
        argument.count > 1 && argument.dropFirst().allSatisfy { $0 >= "0" && $0 <= "9" }
    }
}
