// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libsqlite3 from the system (Debian: libsqlite3-dev), imported by SluiceSQLite only.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Linux system calls Swift's Glibc module does not offer (memfd_create), as inline
        // C; no library is linked. Imported by SluiceOS only.
        .systemLibrary(name: "CLinux"),
        // Debian's libsystemd (libsystemd-dev), linked by one test target only: the
        // reference sluice's own sd_notify and journald code is compared with. The product
        // stays a static binary without it (see README, Decisions).
        .systemLibrary(
            name: "CSystemdReference",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // The operating system, once: swift-system's Errno, FileDescriptor and FilePath,
        // and for what it lacks (inotify, poll, AF_UNIX datagrams, memfd, signals, threads)
        // one wrapper per call; the atomic file writer and the directory reader.
        .target(
            name: "SluiceOS",
            dependencies: ["CLinux", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Revision files, the graph, targets and plans (pure logic), path text, the
        // versions directory. No SQLite.
        .target(name: "SluiceCore", dependencies: ["SluiceOS"]),
        // Everything that touches a database file: connection, apply, rehearsal, lock.
        .target(
            name: "SluiceSQLite",
            dependencies: ["CSQLite", "SluiceCore", "SluiceOS"]
        ),
        // Civil time without Foundation's calendar: time zones from the system's tzdata,
        // civil days, weekdays, wall-clock times, and the window and blackout values the
        // configuration describes and the calendar computes with.
        .target(name: "SluiceTime", dependencies: ["SluiceCore"]),
        // TOML 1.0, parsed in full (toml-test's corpus is its test): no package in the
        // environment offers a parser, and the configuration's errors need its positions.
        .target(name: "TOML"),
        // The TOML configuration file, parsed and checked in full.
        .target(
            name: "SluiceConfig",
            dependencies: ["SluiceCore", "SluiceOS", "SluiceTime", "TOML"]
        ),
        // systemd's protocols, spoken directly without libsystemd: sd_notify, the watchdog,
        // journald's native protocol; JSON and text logs.
        .target(
            name: "SluiceSystemd",
            dependencies: ["SluiceCore", "SluiceOS", .product(name: "Logging", package: "swift-log")]
        ),
        // Maintenance windows and the scheduler state machine: pure, driven by an
        // injected clock.
        .target(name: "SluiceSchedule", dependencies: ["SluiceTime"]),
        // inotify through Glibc: wrapped syscalls, event parsing, settled batches.
        .target(name: "SluiceWatch", dependencies: ["SluiceCore", "SluiceOS"]),
        // A fleet: the members of a `databases` glob, the rollout's order and pace, and
        // migrating one member with a rehearsal shared by schema.
        .target(name: "SluiceFleet", dependencies: ["SluiceConfig", "SluiceCore", "SluiceOS", "SluiceSQLite"]),
        // The daemon: the queue pipeline, the state file, the services.
        .target(
            name: "SluiceDaemon",
            dependencies: [
                "SluiceCore", "SluiceOS", "SluiceSQLite", "SluiceConfig", "SluiceTime", "SluiceWatch", "SluiceSchedule", "SluiceSystemd", "SluiceFleet",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Records the git revision of the build for `sluice --version`.
        .plugin(name: "BuildRevision", capability: .buildTool()),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "SluiceOS", "SluiceSQLite", "SluiceConfig", "SluiceTime", "SluiceSchedule", "SluiceSystemd", "SluiceWatch", "SluiceDaemon", "SluiceFleet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The release binary is one static, position-independent executable: no
            // dynamic loader, no libstdc++ or libsqlite3 to map and relocate at every
            // start (a no-op `upgrade` is mostly start-up), nothing to install beside it,
            // and address randomisation kept (`-static-pie`, which needs lld). The
            // relative relocations are packed (RELR). glibc refuses a static PIE with
            // a run path, so release builds pass `--disable-local-rpath` (see README).
            linkerSettings: [
                .unsafeFlags([
                    "-static-executable", "-use-ld=lld",
                    "-Xclang-linker", "-static-pie",
                    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                    // The DWARF debug information is most of the file (41 MB with it);
                    // the symbol table stays, so crash backtraces still name functions.
                    "-Xlinker", "--strip-debug",
                ], .when(platforms: [.linux], configuration: .release)),
            ],
            plugins: ["BuildRevision"]
        ),
        // Shared by the test targets: temporary directories, revision file writers,
        // running the built binary.
        .target(name: "SluiceTestSupport", dependencies: ["SluiceCore"]),
        // libFuzzer targets for the revision and target parsers (fuzz/run.sh); built
        // normally, it replays seed and crasher files.
        .executableTarget(name: "sluice-fuzz", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(
            name: "SluiceSQLiteTests",
            dependencies: ["SluiceSQLite", "SluiceCore", "CSQLite", "SluiceTestSupport"],
            exclude: ["Corpus"]  // hostile revision files, read by path from the tests
        ),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "SluiceTimeTests", dependencies: ["SluiceTime"]),
        .testTarget(name: "SluiceConfigTests", dependencies: ["SluiceConfig", "SluiceTime", "SluiceCore", "TOML"]),
        .testTarget(name: "SluiceSystemdTests", dependencies: [
            "SluiceSystemd", "SluiceCore", "SluiceOS", "SluiceTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SluiceSystemdReferenceTests", dependencies: ["CSystemdReference", "SluiceSystemd", "SluiceTestSupport"]),
        .testTarget(name: "SluiceScheduleTests", dependencies: ["SluiceSchedule", "SluiceTime", "SluiceConfig"]),
        .testTarget(name: "SluiceWatchTests", dependencies: ["SluiceWatch", "SluiceTestSupport"]),
        .testTarget(name: "SluiceFleetTests", dependencies: ["SluiceFleet", "SluiceConfig", "SluiceCore", "SluiceSQLite", "SluiceTestSupport"]),
        .testTarget(name: "SluiceDaemonTests", dependencies: [
            "SluiceDaemon", "SluiceSQLite", "SluiceCore", "SluiceConfig", "SluiceSystemd", "SluiceTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "SluiceCLITests", dependencies: ["sluice", "sluice-fuzz", "SluiceCore", "SluiceSQLite", "SluiceDaemon", "SluiceTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
