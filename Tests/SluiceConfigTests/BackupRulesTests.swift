import Testing
@testable import SluiceConfig

/// `backups = { max_rate, max_stall, on_long_stall }`: how far a backup may get in the
/// application's way, checked like every other key.
@Suite("backups: max_rate, max_stall and on_long_stall")
struct BackupRulesTests {
    /// Should give the documented defaults when the keys are absent.
    @Test("defaults: 64 MiB/s, 1 s, hold")
    func defaults() throws {
        let backups = try parsed("backups = { keep = 3 }").backups
        #expect(backups.maxRate == 64 << 20)
        #expect(backups.maxStall == .seconds(1))
        #expect(backups.onLongStall == .hold)
    }

    /// Should read sizes, durations and choices as the other keys do; 0 removes the rate
    /// bound.
    @Test("values are read", arguments: [
        ("backups = { max_rate = \"32MiB\", max_stall = \"250ms\", on_long_stall = \"wait\" }", Int64?(32 << 20), Duration.milliseconds(250), BackupSettings.OnLongStall.wait),
        ("[backups]\nmax_rate = 0\nmax_stall = \"2s\"\non_long_stall = \"HOLD\"", nil, .seconds(2), .hold),
        ("backups = { max_rate = 1048576 }", Int64?(1 << 20), .seconds(1), .hold),
    ])
    func values(toml: String, rate: Int64?, stall: Duration, choice: BackupSettings.OnLongStall) throws {
        let backups = try parsed(toml).backups
        #expect(backups.maxRate == rate)
        #expect(backups.maxStall == stall)
        #expect(backups.onLongStall == choice)
    }

    /// Should refuse values that make no sense, naming the key and saying what is allowed.
    @Test("bad values are rejected", arguments: [
        ("backups = { max_rate = \"fast\" }", "backups.max_rate", "is not a size"),
        ("backups = { max_rate = \"512KiB\" }", "backups.max_rate", "at least \"1MiB\""),
        ("backups = { max_rate = -1 }", "backups.max_rate", "cannot be negative"),
        ("backups = { max_stall = \"soon\" }", "backups.max_stall", "is not a duration"),
        ("backups = { max_stall = \"5s\" }", "backups.max_stall", "must be below 5s"),
        ("backups = { max_stall = 1 }", "backups.max_stall", "expected a string"),
        ("backups = { on_long_stall = \"lock\" }", "backups.on_long_stall", "use one of \"hold\", \"wait\""),
        ("backups = { max_stal = \"1s\" }", "backups.max_stal", "`max_stall`"),
        ("backups = { max_total = \"10KiB\" }", "backups.max_total", "at least \"1MiB\""),
    ])
    func rejected(toml: String, key: String, reason: String) {
        expectRejected(toml, key: key, reason: reason)
    }

    /// Should read the total budget; absent or 0 is no bound.
    @Test("max_total: a size, 0 or absent for none")
    func maxTotal() throws {
        #expect(try parsed("backups = { max_total = \"10GiB\" }").backups.maxTotal == 10 << 30)
        #expect(try parsed("backups = { max_total = 0 }").backups.maxTotal == nil)
        #expect(try parsed("backups = { keep = 2 }").backups.maxTotal == nil)
    }
}
