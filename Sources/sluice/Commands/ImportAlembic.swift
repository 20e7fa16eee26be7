import ArgumentParser
import FoundationEssentials
import SluiceCore
import SluiceOS
import SluiceSQLite

/// `sluice import`: turns another tool's migrations into sluice revision files.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn another tool's migrations into sluice revision files.",
        subcommands: [ImportAlembic.self])
}

/// `sluice import alembic`: an Alembic project's revisions as sluice files, through
/// Alembic's own offline mode, so a team switches without rewriting anything and
/// without touching the database (same ids and graph: no stamp needed).
struct ImportAlembic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alembic",
        abstract: "Write an Alembic project's revisions as sluice files (same ids, parents, labels, dependencies).",
        discussion: """
            Runs the project's own Alembic (with --python, or the interpreter of the `alembic` on \
            PATH, else python3) from the directory of alembic.ini, through its env.py, in \
            offline mode (`--sql`) on the SQLite dialect, and renders every revision's upgrade() \
            and downgrade(). Each becomes <id>_<slug>.sql in the versions directory sluice is \
            configured with, with the same revision id, parents, branch labels, Depends On, \
            message and create date. Alembic's version-table statements are not copied (sluice \
            writes its own). The database is not touched: a database Alembic manages is already \
            at the right revisions (`sluice current` shows them).

            A revision Alembic cannot render offline (Python that reads rows, batch_alter_table \
            without copy_from on SQLite, anything Alembic refuses with --sql) is listed with \
            Alembic's reason, and nothing is written (exit 1). --placeholders writes such \
            revisions as placeholders instead: the header, the reason, what did render, and a \
            marker line that `sluice check`, the daemon and every applying command reject until \
            the SQL is written by hand and the line removed. A re-run keeps a placeholder written \
            by hand.

            Files already there with the same text are left alone, so a re-run is idempotent; \
            different text is refused unless --force. An upgrade that drops data is written \
            with `Destructive: allowed`, since the Alembic revision does it on purpose.

            --verify then upgrades one scratch database with sluice and another with Alembic \
            (online, `upgrade heads`) and compares their schemas, table rows and version rows, \
            printing every difference by object (exit 1 on any).
            """)

    @OptionGroup var common: CommonOptions
    @Option(name: .customLong("alembic-config"), help: "The Alembic project's configuration file.")
    var alembicConfig = "alembic.ini"
    @Option(name: .customLong("name"), help: "The section of the Alembic configuration to use (Alembic's --name).")
    var name = "alembic"
    @Option(name: .long, help: "The project's Python interpreter, or its `alembic` script (default: the interpreter of `alembic` on PATH, else python3).")
    var python: String?
    @Flag(name: .long, help: "Write revisions Alembic cannot render offline as placeholders to complete by hand (rejected by check until then).")
    var placeholders = false
    @Flag(name: .long, help: "Then upgrade a scratch database with sluice and another with Alembic (online) and compare them.")
    var verify = false
    @Flag(name: .long, help: "Overwrite files whose text differs from what the import writes.")
    var force = false

    func run() throws {
        let workspace = try Workspace(common, requireDatabase: false)
        let configuration = PathText.resolve(alembicConfig, relativeTo: PathText.currentDirectory())
        guard FileManager.default.isReadableFile(atPath: configuration) else {
            throw CLIError.usage("--alembic-config \(alembicConfig): no such file; run from the Alembic project's directory or pass the path of its alembic.ini")
        }
        let interpreter = try PythonInterpreter.resolve(python)
        let driver = AlembicDriver(python: interpreter.path, configuration: configuration, section: name)
        let rendering = try driver.render()
        print("Alembic \(rendering.alembic) (SQLAlchemy \(rendering.sqlalchemy), Python \(rendering.python), \(interpreter.origin)): \(rendering.revisions.count) revision(s) in \(configuration)")
        if let table = rendering.versionTable, table != workspace.versionTable.name {
            Output.error("warning: env.py uses the version table \(table) but sluice is configured with \(workspace.versionTable.name): set version_table = \"\(table)\" in sluice's configuration, or sluice will not see what Alembic applied")
        }

        var files = rendering.revisions.map { ImportedRevisionFile(revision: $0) }
        try refuseUnparsable(files)
        let existing = try existingVersions(workspace.versionsPath)
        let paths = ImportPlan.paths(for: files, existing: existing, versionsPath: workspace.versionsPath)
        let losses = DestructiveScan.losses(of: files, paths: paths, versionTable: workspace.versionTable)
        for index in files.indices { files[index].losses = losses[files[index].revision.id] ?? [] }

        let plan = ImportPlan.make(files: files, paths: paths, existing: existing, placeholders: placeholders, force: force)
        guard plan.canWrite else { throw refusal(plan) }
        do { try FileManager.default.createDirectory(atPath: workspace.versionsPath, withIntermediateDirectories: true) } catch {
            throw CLIError.failed("cannot create the versions directory \(workspace.versionsPath): \(SystemErrorText.describe(error)); nothing was written")
        }
        try plan.write()
        report(plan, into: workspace.versionsPath)

        if verify {
            let verification = AlembicVerification(options: common.values, versionsPath: workspace.versionsPath,
                                                   driver: driver, alembicVersionTable: rendering.versionTable)
            guard try verification.run() else { throw ExitCode(1) }
        }
    }

    /// Refuses revisions whose sluice file would not parse (an id or label sluice cannot
    /// take: ids must fit `alembic_version`, so they are never renamed).
    private func refuseUnparsable(_ files: [ImportedRevisionFile]) throws {
        let problems = files.compactMap { file -> String? in
            do throws(RevisionFileError) {
                _ = try RevisionFileParser.parse(Array(file.text().utf8), path: file.fileName)
                return nil
            } catch {
                return "\(file.revision.id) (\(file.revision.path)) cannot be imported: \(error.reason)"
            }
        }
        guard problems.isEmpty else {
            throw CLIError.failed(problems.joined(separator: "\n") + "\nimport failed: nothing was written")
        }
    }

    /// The revision files already in the versions directory (none when it is missing).
    private func existingVersions(_ path: String) throws -> LoadedVersions {
        guard FileManager.default.fileExists(atPath: path) else { return LoadedVersions() }
        do { return try VersionsDirectory.load(path) } catch { throw CLIError.usage("\(error)") }
    }

    /// The error for a plan that cannot be written: every conflict and every revision
    /// that cannot be rendered, with Alembic's reasons.
    private func refusal(_ plan: ImportPlan) -> CLIError {
        var lines: [String] = []
        var unrenderable = 0
        for entry in plan.entries {
            switch entry.action {
            case .unrenderable:
                unrenderable += 1
                lines.append("\(entry.file.revision.id) (\(entry.file.revision.path), \(entry.file.revision.message)) cannot be rendered offline:")
                lines += entry.file.unrenderable.map { "    \($0.function)(): \($0.reason)" }
            case .conflict:
                lines.append("\(entry.path): already there with other text than the import of \(entry.file.revision.id) (pass --force to overwrite it)")
            default:
                continue
            }
        }
        var summary = "import failed, nothing was written"
        if unrenderable > 0 {
            summary += ": \(unrenderable) revision(s) cannot be rendered offline; rerun with --placeholders to write them as placeholders to complete by hand (`sluice check` rejects them until then), or write their files yourself"
        }
        return CLIError.failed((lines + [summary]).joined(separator: "\n"))
    }

    /// One line per file, then the acknowledged destructive upgrades.
    private func report(_ plan: ImportPlan, into directory: String) {
        print("into \(directory):")
        for entry in plan.entries {
            let name = PathText.lastComponent(of: entry.path)
            let marker = entry.file.unrenderable.isEmpty ? nil
                : entry.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { PlaceholderMarker.matches(String($0)) }
            let note = marker.map { " (placeholder: write its SQL by hand, then remove line \($0 + 1))" } ?? ""
            switch entry.action {
            case .write(let replacing):
                print("  \(marker != nil ? "placeholder" : replacing ? "replaced   " : "wrote      ")  \(name)\(note)")
            case .unchanged:
                print("  unchanged    \(name)\(note)")
            case .keptHandWritten:
                print("  kept         \(name) (written by hand in place of a placeholder)")
            case .conflict, .unrenderable:
                continue
            }
        }
        for entry in plan.entries where !entry.file.losses.isEmpty {
            print("note: \(entry.file.revision.id)'s upgrade drops data (\(entry.file.losses.joined(separator: "; "))): written with `Destructive: allowed`")
        }
    }
}
