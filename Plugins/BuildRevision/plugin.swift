import Foundation
import PackagePlugin

/// Writes `BuildRevision.swift` into the `sluice` target before every build: the git
/// revision the binary is built from (`git describe --always --dirty --abbrev=12`), or
/// `unknown` outside a git checkout, so `sluice --version` says exactly what runs. The file
/// is only replaced when the revision changed, so an unchanged tree does not recompile.
@main
struct BuildRevision: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let file = output.appending(path: "BuildRevision.swift").path
        let script = """
            set -e
            mkdir -p "$2"
            revision=$(git -C "$1" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
            printf '/// The git revision this binary was built from (written at build time).\\nlet buildRevision = "%s"\\n' "$revision" > "$3.new"
            if cmp -s "$3.new" "$3"; then rm "$3.new"; else mv "$3.new" "$3"; fi
            """
        return [
            .prebuildCommand(
                displayName: "Recording the git revision of the build",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path, file],
                outputFilesDirectory: output),
        ]
    }
}
