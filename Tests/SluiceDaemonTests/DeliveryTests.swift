import Foundation
import Glibc
import SluiceTestSupport
import Testing

/// How deploy tools deliver revisions, end to end against the running daemon with real
/// inotify: a symlink flipped to a new release, Kubernetes' `..data` swap, and a git
/// checkout switched between branches. Each is followed by the daemon without a reload.
@Suite("Delivering revisions", .serialized)
struct DeliveryTests {
    private func current(_ daemon: DaemonProcess) -> [String] {
        (daemon.state()?["view"] as? [String: Any])?["current"] as? [String] ?? []
    }

    /// A project whose versions path is given, with the staging window.
    private func fixture(versions: String, in directory: TemporaryDirectory) {
        directory.write("sluice.toml", """
            database = "app.db"
            versions = "\(versions)"
            state_file = "state.json"
            settle = "100ms"
            [log]
            format = "text"
            \(DaemonFixture.open)
            """)
    }

    private func start(_ directory: TemporaryDirectory) throws -> DaemonProcess {
        try DaemonProcess(config: directory.url("sluice.toml"), statePath: directory.url("state.json"), directory: directory.path)
    }

    /// Replaces `link` with a symbolic link to `target` atomically, as `ln -s … tmp && mv -T tmp link`.
    private func flip(_ link: String, to target: String) {
        let temporary = link + ".tmp"
        unlink(temporary)
        #expect(symlink(target, temporary) == 0)
        #expect(rename(temporary, link) == 0)
    }

    @Test("a release symlink flipped to a new tree: the new revision is validated and applied")
    func releaseSymlinkSwap() throws {
        let directory = TemporaryDirectory(prefix: "sluice-release-swap")
        directory.write("releases/r1/migrations/versions/e1_base.sql", DaemonFixture.table("e1"))
        directory.write("releases/r2/migrations/versions/e1_base.sql", DaemonFixture.table("e1"))
        directory.write("releases/r2/migrations/versions/e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        flip(directory.url("current"), to: "releases/r1")
        fixture(versions: "current/migrations/versions", in: directory)
        let daemon = try start(directory)
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.log)")

        flip(directory.url("current"), to: "releases/r2")
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")
        #expect(daemon.log.contains("event=rescan"), "\(daemon.log)")
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT version_num FROM alembic_version") == "e2\n")
    }

    @Test("a versions symlink flipped between directories (git-sync): followed both ways")
    func versionsSymlinkSwap() throws {
        let directory = TemporaryDirectory(prefix: "sluice-versions-swap")
        directory.write("rev-a/e1_base.sql", DaemonFixture.table("e1"))
        directory.write("rev-b/e1_base.sql", DaemonFixture.table("e1"))
        directory.write("rev-b/e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        flip(directory.url("versions"), to: "rev-a")
        fixture(versions: "versions", in: directory)
        let daemon = try start(directory)
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.log)")
        flip(directory.url("versions"), to: "rev-b")
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")
    }

    @Test("a Kubernetes ConfigMap volume: the ..data swap and the new file's link are followed; a link leaving the directory is refused")
    func configMapSwap() throws {
        let directory = TemporaryDirectory(prefix: "sluice-configmap")
        // What the kubelet's atomic writer lays out: a timestamped directory, `..data`
        // pointing at it, and one symlink per file through `..data`.
        directory.write("cm/..2026_12_03_10_00_00.000000001/e1_base.sql", DaemonFixture.table("e1"))
        #expect(symlink("..2026_12_03_10_00_00.000000001", directory.url("cm/..data")) == 0)
        #expect(symlink("..data/e1_base.sql", directory.url("cm/e1_base.sql")) == 0)
        fixture(versions: "cm", in: directory)
        let daemon = try start(directory)
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.log)")

        // The update: a new timestamped directory, `..data_tmp` renamed over `..data`,
        // then the link for the new file, then the old directory removed.
        directory.write("cm/..2026_12_03_10_05_00.000000002/e1_base.sql", DaemonFixture.table("e1"))
        directory.write("cm/..2026_12_03_10_05_00.000000002/e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        flip(directory.url("cm/..data"), to: "..2026_12_03_10_05_00.000000002")
        #expect(symlink("..data/e2_next.sql", directory.url("cm/e2_next.sql")) == 0)
        try FileManager.default.removeItem(atPath: directory.url("cm/..2026_12_03_10_00_00.000000001"))
        #expect(daemon.wait { current(daemon) == ["e2"] }, "\(daemon.log)")
        #expect(daemon.entries("rejected").isEmpty, "\(daemon.entries("rejected"))")

        // strict_permissions still refuses a link that leaves the versions directory.
        directory.write("outside/e3_next.sql", DaemonFixture.table("e3", revises: ["e2"]))
        #expect(symlink(directory.url("outside/e3_next.sql"), directory.url("cm/e3_next.sql")) == 0)
        #expect(daemon.wait { daemon.entries("rejected").contains { (($0["reason"] as? String) ?? "").contains("outside the versions directory") } },
                "\(daemon.entries("rejected"))")
        #expect(current(daemon) == ["e2"])
    }

    @Test("a git checkout switched between branches: new revisions applied, a vanished applied file held and never downgraded")
    func gitCheckout() throws {
        let directory = TemporaryDirectory(prefix: "sluice-git")
        let repo = directory.url("repo")
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        func git(_ arguments: [String]) throws {
            let result = try SluiceBinary.runProgram("/usr/bin/git", ["-C", repo, "-c", "user.name=sluice", "-c", "user.email=sluice@example.org",
                                                                       "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false"] + arguments)
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        }
        try git(["init", "-q"])
        directory.write("repo/e1_base.sql", DaemonFixture.table("e1"))
        try git(["add", "."]); try git(["commit", "-qm", "e1"])
        try git(["checkout", "-qb", "feature"])
        directory.write("repo/e2_next.sql", DaemonFixture.table("e2", revises: ["e1"]))
        directory.write("repo/e3_more.sql", DaemonFixture.table("e3", revises: ["e2"]))
        try git(["add", "."]); try git(["commit", "-qm", "e2 e3"])
        try git(["checkout", "-q", "main"])
        fixture(versions: "repo", in: directory)
        let daemon = try start(directory)
        #expect(daemon.wait { current(daemon) == ["e1"] }, "\(daemon.log)")

        try git(["checkout", "-q", "feature"])
        #expect(daemon.wait { current(daemon) == ["e3"] }, "\(daemon.log)")

        try git(["checkout", "-q", "main"])
        #expect(daemon.wait { daemon.entries("held").contains { ($0["revision"] as? String) == "e3" } }, "\(daemon.entries("held"))")
        let held = daemon.entries("held").first { ($0["revision"] as? String) == "e3" }
        #expect((held?["reason"] as? String)?.contains("its file is gone") == true, "\(held ?? [:])")
        #expect(try SQLiteShell.run(directory.url("app.db"), "SELECT version_num FROM alembic_version") == "e3\n", "never downgraded")
        #expect(daemon.entries("rejected").isEmpty, ".git is ignored: \(daemon.entries("rejected"))")
    }
}
