import Testing
@testable import SluiceConfig

@Suite("Top-level, [log], [validation] and backups rules")
struct TopLevelRulesTests {
    @Test("Should reject an unknown key, naming it and suggesting the closest allowed key", arguments: [
        ("databse = \"x.db\"", "databse", "`database`"),
        ("[log]\nformt = \"json\"", "log.formt", "`format`"),
        ("[validation]\nstrict_permission = false", "validation.strict_permission", "`strict_permissions`"),
        ("backups = { directory = \"b\", kept = 3 }", "backups.kept", "`keep`"),
        ("[[window]]\nname = \"w\"\nalways = true\ntimezon = \"UTC\"", "window[0].timezon", "`timezone`"),
        ("[[blackout]]\nfrom = \"2026-01-01T00:00:00Z\"\nuntil = \"2026-01-02T00:00:00Z\"\nreason = \"x\"", "blackout[0].reason", "Allowed"),
        ("[windows]\nname = \"w\"", "windows", "`window`"),
    ])
    func unknownKeys(toml: String, key: String, hint: String) {
        let error = expectRejected(toml, key: key, reason: "unknown key")
        #expect(error?.reason.contains(hint) == true, "\(String(describing: error))")
    }

    @Test("Should reject values of the wrong TOML type, saying what is expected", arguments: [
        ("database = 3", "database", "expected a string like \"var/app.db\", found the integer 3"),
        ("settle = 500", "settle", "expected a string like \"500ms\""),
        ("version_table = true", "version_table", "expected a string"),
        ("backups = \"var/backups\"", "backups", "expected a table"),
        ("backups = { keep = \"10\" }", "backups.keep", "expected an integer like 10"),
        ("log = \"json\"", "log", "expected a table"),
        ("[log]\nlevel = 3", "log.level", "expected a string"),
        ("[validation]\nstrict_permissions = \"yes\"", "validation.strict_permissions", "`true` or `false`"),
        ("[validation]\nallow_multiple_heads = 1", "validation.allow_multiple_heads", "`true` or `false`"),
        ("[validation]\nrehearsal_max_bytes = 1.5", "validation.rehearsal_max_bytes", "expected a size"),
        ("[window]\nname = \"w\"", "window", "array of tables"),
        ("window = [1]", "window[0]", "expected a table"),
        ("blackout = \"never\"", "blackout", "array of tables"),
    ])
    func wrongTypes(toml: String, key: String, reason: String) {
        expectRejected(toml, key: key, reason: reason)
    }

    @Test("Should reject a bad settle period", arguments: [
        ("settle = \"fast\"", "is not a duration"),
        ("settle = \"-5s\"", "is not a duration"),
        ("settle = \"2h\"", "at most 1h"),
    ])
    func badSettle(toml: String, reason: String) {
        expectRejected(toml, key: "settle", reason: reason)
    }

    @Test("Should reject a version table that is not a plain identifier or is reserved", arguments: [
        "", "1version", "alembic-version", "alembic version", "väsion", String(repeating: "a", count: 64),
        "sqlite_master", "SQLITE_x", "sluice_history",
    ])
    func badVersionTable(name: String) {
        expectRejected("version_table = \"\(name)\"", key: "version_table", reason: "\"\(name)\" is ")
    }

    @Test("Should accept a version table at the identifier limits", arguments: [
        "_", "a", "Alembic_Version_2", String(repeating: "x", count: 63),
    ])
    func goodVersionTable(name: String) throws {
        #expect(try parsed("version_table = \"\(name)\"").versionTable == name)
    }

    @Test("Should reject keeping fewer than one backup", arguments: [0, -1])
    func badKeep(keep: Int) {
        expectRejected("backups = { keep = \(keep) }", key: "backups.keep", reason: "at least 1")
    }

    @Test("Should reject a log format or level outside the allowed list, listing them", arguments: [
        ("[log]\nformat = \"xml\"", "log.format", "\"auto\", \"journal\", \"json\", \"text\""),
        ("[log]\nlevel = \"verbose\"", "log.level", "\"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\""),
    ])
    func badLogChoice(toml: String, key: String, allowed: String) {
        expectRejected(toml, key: key, reason: allowed)
    }

    @Test("Should reject a bad rehearsal size", arguments: [
        "[validation]\nrehearsal_max_bytes = \"256 megs\"",
        "[validation]\nrehearsal_max_bytes = \"1.5GiB\"",
        "[validation]\nrehearsal_max_bytes = -1",
    ])
    func badRehearsalSize(toml: String) {
        expectRejected(toml, key: "validation.rehearsal_max_bytes")
    }
}
