import Foundation
import SluiceTestSupport
import Testing

/// The fuzzer's seeds and every crasher it ever found, replayed through the same fuzz
/// targets in an ordinary build: a crash that was fixed stays fixed.
@Suite("Fuzz corpus replay")
struct FuzzReplayTests {
    @Test("Seeds and crashers run through both parsers without a crash")
    func replay() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var files: [String] = []
        for folder in ["migrations/versions", "Tests/SluiceSQLiteTests/Corpus", "fuzz/seeds/target", "fuzz/crashers"] {
            let directory = root + "/" + folder
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") && !name.hasSuffix("/") {
                files.append(directory + "/" + name)
            }
        }
        #expect(files.count >= 20)
        let binary = URL(fileURLWithPath: SluiceBinary.path).deletingLastPathComponent().appendingPathComponent("sluice-fuzz").path
        let result = try SluiceBinary.runProgram(binary, files)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
