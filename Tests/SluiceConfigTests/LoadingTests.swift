import Foundation
import SluiceCore
import Testing
@testable import SluiceConfig

@Suite("Loading a file and resolving its paths")
struct LoadingTests {
    @Test("Should resolve relative paths against the directory of the file, not the working directory")
    func relativePathsFollowTheFile() throws {
        try withTemporaryDirectory { root in
            let file = "\(root)/repo/config/sluice.toml"
            try write("""
            database   = "var/app.db"
            versions   = "../migrations/versions"
            backups    = { directory = "./var/../backups" }
            state_file = "/run/sluice/state.json"
            """, to: file)
            let configuration = try SluiceConfiguration.load(path: file)
            #expect(configuration.sourcePath == file)
            #expect(configuration.database == "\(root)/repo/config/var/app.db")
            #expect(configuration.versions == "\(root)/repo/migrations/versions")
            #expect(configuration.backups.directory == "\(root)/repo/config/backups")
            #expect(configuration.stateFile == "/run/sluice/state.json")
        }
    }

    @Test("Should normalise a config path given with `..` and `.` components")
    func configPathWithDotDot() throws {
        try withTemporaryDirectory { root in
            try write("database = \"app.db\"", to: "\(root)/a/sluice.toml")
            try FileManager.default.createDirectory(atPath: "\(root)/b", withIntermediateDirectories: true)
            let configuration = try SluiceConfiguration.load(path: "\(root)/b/./../a/sluice.toml")
            #expect(configuration.sourcePath == "\(root)/a/sluice.toml")
            #expect(configuration.database == "\(root)/a/app.db")
        }
    }

    @Test("Should read a relative config path against the current directory")
    func relativeConfigPath() throws {
        let configuration = try SluiceConfiguration.parse("database = \"var/app.db\"", path: "config/sluice.toml")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(configuration.database == PathText.normalize("\(cwd)/config/var/app.db"))
        #expect(configuration.sourcePath == PathText.normalize("\(cwd)/config/sluice.toml"))
    }

    @Test("Should say which file is missing and what to do")
    func missingFile() throws {
        try withTemporaryDirectory { root in
            let file = "\(root)/nope.toml"
            let error = #expect(throws: ConfigurationError.self) { try SluiceConfiguration.load(path: file) }
            #expect(error?.key == nil)
            #expect(error?.line == nil)
            #expect(error?.description.hasPrefix("\(file): no configuration file") == true)
            #expect(error?.reason.contains("--config") == true)
        }
    }

    @Test("Should reject a directory given as the configuration file")
    func directoryInsteadOfFile() throws {
        try withTemporaryDirectory { root in
            let error = #expect(throws: ConfigurationError.self) { try SluiceConfiguration.load(path: root) }
            #expect(error?.key == nil)
            #expect(error?.reason.contains("is a directory") == true)
        }
    }

    @Test("Should report an unreadable file", .enabled(if: getuid() != 0, "root reads any file"))
    func unreadableFile() throws {
        try withTemporaryDirectory { root in
            let file = "\(root)/sluice.toml"
            try write("", to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file)
            let error = #expect(throws: ConfigurationError.self) { try SluiceConfiguration.load(path: file) }
            #expect(error?.key == nil)
            #expect(error?.reason.contains("cannot be read") == true)
        }
    }

    @Test("Should reject a file that is not UTF-8")
    func notUTF8() throws {
        try withTemporaryDirectory { root in
            let file = "\(root)/sluice.toml"
            try Data([0x64, 0x62, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0xFE, 0x22]).write(to: URL(fileURLWithPath: file))
            let error = #expect(throws: ConfigurationError.self) { try SluiceConfiguration.load(path: file) }
            #expect(error?.reason.contains("UTF-8") == true)
        }
    }

    @Test("Should fold `..` textually and never climb above the root", arguments: [
        ("/a/b/../c", "/a/c"), ("/a/./b//c/", "/a/b/c"), ("/../x", "/x"), ("/", "/"), ("/a/b/../../..", "/"),
    ])
    func normalize(input: String, expected: String) {
        #expect(PathText.normalize(input) == expected)
    }

    @Test("Should reject an empty path", arguments: ["database", "versions", "state_file"])
    func emptyPath(key: String) {
        expectRejected("\(key) = \"\"", key: key, reason: "must not be empty")
    }
}
