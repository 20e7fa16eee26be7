import ArgumentParser

/// `sluice upgrade [TARGET] [--sql]`.
struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply what is needed to reach TARGET (default: head).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rehearsal: RehearsalOptions
    @OptionGroup var target: TargetArgument
    @Flag(name: .long, help: "Print the SQL instead of running it (offline mode); `FROM:TO` sets the starting point.")
    var sql = false

    func run() throws {
        try MigrationCommand(direction: .upgrade, common: common.values, lockTimeout: lock.lockTimeout,
                             target: target.target(default: "head"), offline: sql, skipRehearsal: rehearsal.skipRehearsal).run()
    }
}
