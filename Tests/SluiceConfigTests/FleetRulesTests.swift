import Testing
@testable import SluiceConfig

/// `databases` and `[rollout]`, checked like every other key.
@Suite("databases and [rollout]")
struct FleetRulesTests {
    @Test("a glob in the file name, the rollout's defaults and values")
    func values() throws {
        let fleet = try parsed("databases = \"/var/lib/app/tenants/*.db\"")
        #expect(fleet.databases == "/var/lib/app/tenants/*.db")
        #expect(fleet.database == nil)
        #expect(fleet.rollout == RolloutSettings())
        #expect(fleet.rollout.parallelism == nil)
        #expect(fleet.rollout.maxFailures == 1)
        let rollout = try parsed("databases = \"/t/*.db\"\n[rollout]\ncanaries = 2\nparallelism = 4\nmax_failures = 3").rollout
        #expect(rollout.canaries == .count(2))
        #expect(rollout.parallelism == 4)
        #expect(rollout.maxFailures == 3)
        #expect(try parsed("[rollout]\ncanaries = [\"acme\", \"beta.db\"]").rollout.canaries == .names(["acme", "beta.db"]))
    }

    @Test("bad values are rejected", arguments: [
        ("database = \"/a.db\"\ndatabases = \"/t/*.db\"", "databases", "exclude each other"),
        ("databases = \"/t*/x.db\"", "databases", "only the file name"),
        ("[rollout]\ncanaries = -1", "rollout.canaries", "0 or more"),
        ("[rollout]\ncanaries = [\"a/b\"]", "rollout.canaries", "member names"),
        ("[rollout]\ncanaries = true", "rollout.canaries", "a count like 2"),
        ("[rollout]\nparallelism = 0", "rollout.parallelism", "between 1 and 256"),
        ("[rollout]\nmax_failures = 0", "rollout.max_failures", "at least 1"),
        ("[rollout]\nmax_failure = 2", "rollout.max_failure", "`max_failures`"),
    ])
    func rejected(toml: String, key: String, reason: String) {
        expectRejected(toml, key: key, reason: reason)
    }
}
