import ArgumentParser

/// `sluice upgrade [TARGET] [--sql]`.
struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply what is needed to reach TARGET (default: head).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rehearsal: RehearsalOptions
    @OptionGroup var target: TargetArgument
    @OptionGroup var fleet: AllFlag
    @OptionGroup var output: JSONFlag
    @Flag(name: .long, help: "Print the SQL instead of running it (offline mode); `FROM:TO` sets the starting point.")
    var sql = false

    /// What the options ask for: the same value `DirectInvocation` builds on its fast path.
    func migrationCommand() throws -> MigrationCommand {
        try MigrationCommand(direction: .upgrade, common: common.values, lockTimeout: lock.lockTimeout,
                             target: target.target(default: "head"), offline: sql, skipRehearsal: rehearsal.skipRehearsal,
                             all: fleet.all, json: output.json)
    }

    func run() throws { try migrationCommand().run() }
}
