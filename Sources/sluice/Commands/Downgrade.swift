import ArgumentParser

/// `sluice downgrade TARGET [--sql]`.
struct Downgrade: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Unapply revisions down to TARGET (base, -N, a revision).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rehearsal: RehearsalOptions
    @OptionGroup var target: TargetArgument
    @Flag(name: .long, help: "Print the SQL instead of running it (offline mode); `FROM:TO` sets the starting point.")
    var sql = false

    func run() throws {
        try MigrationCommand(direction: .downgrade, common: common.values, lockTimeout: lock.lockTimeout,
                             target: target.target(default: nil), offline: sql, skipRehearsal: rehearsal.skipRehearsal).run()
    }
}
