import ArgumentParser
import SluiceConfig
import SluiceDaemon

/// `sluice pause [--reason TEXT]`: the running daemon starts no new revision (one in
/// flight finishes) until `sluice resume`; the pause survives a restart.
struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tell the running daemon to start no new revision until `sluice resume` (kept across restarts).")

    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: "Why, shown by `status`, STATUS= and the log.") var reason: String?

    func run() throws { try ControlClient.run(ControlRequest(command: .pause, reason: reason), common: common) }
}

/// `sluice resume`: undoes `sluice pause`.
struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let the running daemon apply revisions again after `sluice pause`.")

    @OptionGroup var common: CommonOptions

    func run() throws { try ControlClient.run(ControlRequest(command: .resume), common: common) }
}

/// `sluice apply-now [--for 30m] [--override-blackout]`: an ad-hoc window, open now.
struct ApplyNow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply-now",
        abstract: "Open an ad-hoc maintenance window now in the running daemon (backups and the fits-the-window rule apply).")

    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("for"), help: "How long the window stays open (default 30m).") var duration = "30m"
    @Flag(name: .long, help: "Open it even inside a blackout.") var overrideBlackout = false

    func run() throws {
        guard let parsed = DurationText.parse(duration), parsed > .zero else {
            throw CLIError.usage("--for \(duration): not a duration; write e.g. 30m or 2h")
        }
        try ControlClient.run(ControlRequest(command: .applyNow, forSeconds: Int(parsed.components.seconds), overrideBlackout: overrideBlackout),
                              common: common)
    }
}

/// `sluice retry REV`: apply again a revision that failed on real data, without editing
/// its file.
struct Retry: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tell the running daemon to apply again a revision that failed, without editing its file.")

    @OptionGroup var common: CommonOptions
    @Argument(help: "The failed revision (id or unique prefix).") var revision: String

    func run() throws { try ControlClient.run(ControlRequest(command: .retry, revision: revision), common: common) }
}
