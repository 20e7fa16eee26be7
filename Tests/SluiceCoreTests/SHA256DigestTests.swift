import Foundation
import SluiceCore
import Testing

@Suite("SHA-256")
struct SHA256DigestTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test("Should give the FIPS 180-4 example digests")
    func standardVectors() {
        #expect(hex(SHA256Digest.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256Digest.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256Digest.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256Digest.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Should match sha256sum for every length across the padding boundaries, fed whole or in pieces")
    func matchesCoreutils() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var generator = SystemRandomNumberGenerator()
        var expected: [String: String] = [:]
        var inputs: [String: [UInt8]] = [:]
        for length in Array(0...130) + [191, 192, 255, 256, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let name = "input-\(length)"
            try Data(bytes).write(to: scratch.appendingPathComponent(name))
            inputs[name] = bytes
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = inputs.keys.sorted()
        process.currentDirectoryURL = scratch
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            expected[String(parts[1])] = String(parts[0])
        }
        #expect(expected.count == inputs.count)
        for (name, bytes) in inputs {
            #expect(hex(SHA256Digest.hash(bytes)) == expected[name], "\(name)")
            var pieces = SHA256Digest()
            var rest = bytes[...]
            while !rest.isEmpty {
                let take = min(rest.count, 1 + rest.count % 37)
                pieces.update(rest.prefix(take))
                rest = rest.dropFirst(take)
            }
            #expect(hex(pieces.finalize()) == expected[name], "\(name) in pieces")
        }
    }
}
