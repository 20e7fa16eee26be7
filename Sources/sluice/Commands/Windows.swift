import ArgumentParser
import FoundationEssentials
import SluiceConfig
import SluiceSchedule
import SluiceTime

/// `sluice windows [--next N]`: the next openings of every window, blackouts cut out.
struct Windows: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the next maintenance-window openings (UTC and local time).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var output: JSONFlag
    @Option(name: .long, help: "How many openings to show.") var next: Int = 5

    func validate() throws {
        guard next > 0 && next <= 1000 else { throw ValidationError("--next takes a number from 1 to 1000") }
    }

    func run() throws {
        let workspace = try Workspace(common, requireDatabase: false)
        let configuration = workspace.configuration
        let calendar = MaintenanceCalendar(windows: configuration.windows, blackouts: configuration.blackouts)
        let now = Date()
        let openings = calendar.openings(after: now, count: next)
        if output.json {
            try Output.json(WindowsReport(now: Self.utc(now), openings: openings.map { opening in
                let alwaysSince = opening.start == .distantPast
                return WindowsReport.Opening(
                    window: opening.window,
                    start: alwaysSince ? nil : Self.utc(opening.start),
                    end: opening.end == .distantFuture ? nil : Self.utc(opening.end),
                    localStart: alwaysSince ? nil : Self.local(opening.start, opening.timeZone),
                    timezone: opening.timeZone.identifier,
                    openNow: opening.start <= now)
            }))
            return
        }
        if configuration.windows.isEmpty {
            print("no maintenance windows configured: the daemon validates and queues but never applies")
            return
        }
        for opening in openings {
            if opening.start == .distantPast && opening.end == .distantFuture {
                print("\(opening.window)\talways open")
                continue
            }
            let end = opening.end == .distantFuture ? "(always open)" : Self.utc(opening.end)
            let marker = opening.start <= now ? "  [open now]" : ""
            print("\(opening.window)\t\(Self.utc(opening.start)) -> \(end)\tlocal \(Self.local(opening.start, opening.timeZone)) \(opening.timeZone.identifier)\(marker)")
        }
    }

    /// One opening as `status` shows it.
    static func describe(_ opening: OpenInterval) -> String {
        if opening.start == .distantPast { return "\(opening.window) (always open)" }
        let open = opening.start <= Date() ? ", open now" : ""
        return "\(local(opening.start, opening.timeZone)) (\(opening.window), \(utc(opening.start))\(open))"
    }

    static func utc(_ date: Date) -> String { ScheduleText.utc(date) }

    static func local(_ date: Date, _ zone: ZoneRules) -> String { ScheduleText.local(date, in: zone) }
}
