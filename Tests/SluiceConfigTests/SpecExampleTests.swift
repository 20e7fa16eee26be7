import Foundation
@testable import SluiceConfig
import Testing
import TOML

/// The example in SPEC §7, which is also `config/sluice.toml`.
let specExample = """
database   = "var/app.db"            # relative paths are relative to this file
versions   = "../migrations/versions"
backups    = { directory = "var/backups", keep = 10 }
state_file = "var/sluice.state.json"
settle     = "500ms"
version_table = "alembic_version"

[log]
format = "auto"                      # auto | journal | json | text
level  = "info"

[validation]
rehearsal_max_bytes = "256MiB"
strict_permissions = true            # refuse files writable by group/others or symlinks
allow_multiple_heads = false         # the daemon holds a revision that makes a second head

[[window]]
name     = "weekend"
days     = ["sat", "sun"]
start    = "02:00"
duration = "2h"
timezone = "Europe/Berlin"

[[blackout]]
from  = "2026-12-20T00:00:00Z"
until = "2027-01-05T00:00:00Z"
"""

@Suite("The SPEC §7 example")
struct SpecExampleTests {
    @Test("Should parse the SPEC example to the documented values")
    func specExampleParses() throws {
        let configuration = try parsed(specExample)
        #expect(configuration.sourcePath == examplePath)
        #expect(configuration.database == "/srv/app/config/var/app.db")
        #expect(configuration.versions == "/srv/app/migrations/versions")
        #expect(configuration.backups == BackupSettings(directory: "/srv/app/config/var/backups", keep: 10))
        #expect(configuration.stateFile == "/srv/app/config/var/sluice.state.json")
        #expect(configuration.settle == .milliseconds(500))
        #expect(configuration.versionTable == "alembic_version")
        #expect(configuration.log == LogSettings(format: .auto, level: .info))
        #expect(configuration.validation == ValidationSettings(rehearsalMaxBytes: 256 * 1024 * 1024,
                                                               strictPermissions: true, allowMultipleHeads: false))
        let berlin = try #require(ZoneRules(identifier: "Europe/Berlin"))
        #expect(configuration.windows == [
            WindowSpec(name: "weekend", days: [.saturday, .sunday], start: LocalTime(hour: 2, minute: 0),
                       duration: .seconds(7200), timeZone: berlin),
        ])
        #expect(configuration.windows[0].days == [.sunday, .saturday])
        #expect(configuration.blackouts == [
            Blackout(from: Date(timeIntervalSince1970: 1_797_724_800), until: Date(timeIntervalSince1970: 1_799_107_200)),
        ])
    }

    @Test("Should give the defaults for an empty file, apart from the source path")
    func emptyFileGivesDefaults() throws {
        var configuration = try parsed("")
        #expect(configuration.sourcePath == examplePath)
        configuration.sourcePath = nil
        #expect(configuration == SluiceConfiguration.defaults)
        #expect(configuration.backups.keep == 10)
        #expect(configuration.backups.directory == nil)
        #expect(configuration.settle == .milliseconds(500))
        #expect(configuration.validation.rehearsalMaxBytes == 268_435_456)
        #expect(configuration.validation.strictPermissions)
        #expect(!configuration.validation.allowMultipleHeads)
        #expect(configuration.windows.isEmpty && configuration.blackouts.isEmpty)
    }

    @Test("Should accept backups as a [backups] table as well as an inline table")
    func backupsAsStandardTable() throws {
        let configuration = try parsed("""
        [backups]
        directory = "/var/backups/sluice"
        keep = 3
        """)
        #expect(configuration.backups == BackupSettings(directory: "/var/backups/sluice", keep: 3))
    }

    @Test("Should accept every log format and level, in any letter case")
    func logChoices() throws {
        for format in LogFormat.allCases {
            for level in LogLevel.allCases {
                let configuration = try parsed("[log]\nformat = \"\(format.rawValue.uppercased())\"\nlevel = \"\(level.rawValue)\"")
                #expect(configuration.log == LogSettings(format: format, level: level))
            }
        }
    }

    @Test("Should order log levels from trace to critical")
    func logLevelOrder() {
        #expect(LogLevel.trace < .debug && LogLevel.notice < .warning && LogLevel.error < .critical)
    }

    @Test("Should accept an integer number of bytes and blackout TOML date-times with offsets")
    func nativeTOMLValues() throws {
        let configuration = try parsed("""
        [validation]
        rehearsal_max_bytes = 1024

        [[blackout]]
        name = "freeze"
        from = 2026-12-20T01:00:00+01:00
        until = 2026-12-21T00:00:00.5Z
        """)
        #expect(configuration.validation.rehearsalMaxBytes == 1024)
        #expect(configuration.blackouts == [
            Blackout(name: "freeze", from: Date(timeIntervalSince1970: 1_797_724_800),
                     until: Date(timeIntervalSince1970: 1_797_811_200.5)),
        ])
    }

    @Test("Should accept a settle of zero and of exactly one hour")
    func settleBounds() throws {
        #expect(try parsed("settle = \"0\"").settle == .zero)
        #expect(try parsed("settle = \"1h\"").settle == .seconds(3600))
    }
}
