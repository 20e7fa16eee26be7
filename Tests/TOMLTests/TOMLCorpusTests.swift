import Foundation
import Testing
@testable import TOML

/// Compares the TOML parser with Python's tomllib over toml-test's corpus (745 valid and
/// invalid files, as shipped in tomlkit 0.15.3's source distribution on PyPI):
/// `scripts/toml-corpus.sh` fetches it into `.build-toml/corpus` and writes what tomllib
/// makes of each file (`scripts/toml-corpus-expectations.py`); the test runs it when the
/// corpus is missing, so `swift test` and CI run it. Every file tomllib accepts must parse
/// to the same values, every file it rejects must be rejected. `SLUICE_TOML_CORPUS=DIR`
/// points it at another corpus prepared with the expectations script.
@Suite("TOML corpus against tomllib")
struct TOMLCorpusTests {
    /// Files where the difference from tomllib is deliberate, relative to the corpus.
    static let deliberate: Set<String> = []

    @Test("Should agree with tomllib on every corpus file")
    func corpus() throws {
        let root = try ProcessInfo.processInfo.environment["SLUICE_TOML_CORPUS"] ?? Self.prepareCorpus()
        let files = try FileManager.default.subpathsOfDirectory(atPath: root)
            .filter { $0.hasSuffix(".toml") }.sorted()
        #expect(!files.isEmpty, "no .toml files under \(root)")
        var agree = (valid: 0, invalid: 0)
        var unknown = 0
        var disagree: [String] = []
        for file in files {
            let path = root + "/" + file
            let expectedText = try String(contentsOfFile: path + ".expected", encoding: .utf8)
            let expected = expectedText.trimmingCharacters(in: .newlines)
            guard expected != "UNKNOWN" else {
                unknown += 1
                continue
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let actual: String
            if let text = String(validating: bytes, as: UTF8.self) {
                do {
                    actual = Self.dump(.table(try TOMLParser.parse(text)))
                } catch {
                    actual = "INVALID"
                    if expected != "INVALID" { disagree.append("\(file): rejected (\(error)), tomllib accepts") }
                }
            } else {
                actual = "INVALID"
            }
            if actual == expected {
                if expected == "INVALID" { agree.invalid += 1 } else { agree.valid += 1 }
            } else if expected == "INVALID" {
                disagree.append("\(file): accepted, tomllib rejects")
            } else if actual != "INVALID" {
                disagree.append("\(file): values differ\n  ours:    \(actual)\n  tomllib: \(expected)")
            }
        }
        let unexpected = disagree.filter { line in !Self.deliberate.contains(where: { line.hasPrefix($0 + ":") }) }
        print("TOML corpus: \(files.count) files, \(unknown) that tomllib cannot read; agree on \(agree.valid) valid and \(agree.invalid) invalid; "
            + "disagree on \(disagree.count) (\(disagree.count - unexpected.count) deliberate)")
        for line in disagree { print("  " + line) }
        #expect(unexpected.isEmpty, "\(unexpected.count) files disagree with tomllib")
    }

    /// The repository's `.build-toml/corpus`, fetched by `scripts/toml-corpus.sh` when missing.
    static func prepareCorpus() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [root + "/scripts/toml-corpus.sh"]
        let output = Pipe()
        script.standardOutput = output
        try script.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        try #require(script.terminationStatus == 0, "scripts/toml-corpus.sh failed (it needs python3-venv and PyPI)")
        return printed.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The canonical one-line dump that scripts/toml-corpus-expectations.py also writes.
    static func dump(_ value: TOMLValue) -> String {
        switch value {
        case .string(let string): "s:" + text(string)
        case .integer(let int): "i:\(int)"
        case .float(let double): double.isNaN ? "f:nan" : "f:" + hex(double.bitPattern)
        case .boolean(let bool): "b:\(bool)"
        case .offsetDateTime(let dateTime): "odt:" + day(dateTime.date) + "T" + clock(dateTime.time) + (dateTime.offsetMinutes! < 0 ? "" : "+") + "\(dateTime.offsetMinutes!)"
        case .localDateTime(let dateTime): "ldt:" + day(dateTime.date) + "T" + clock(dateTime.time)
        case .localDate(let date): "ld:" + day(date)
        case .localTime(let time): "lt:" + clock(time)
        case .array(let array): "[" + array.map(dump).joined(separator: ",") + "]"
        case .table(let table):
            "{" + table.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
                .map { text($0) + "=" + dump(table[$0]!) }.joined(separator: ",") + "}"
        }
    }

    private static func text(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value), scalar != "\"", scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out + "\""
    }

    private static func hex(_ bits: UInt64) -> String {
        let digits = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func day(_ date: TOMLDate) -> String {
        pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2)
    }

    /// To the microsecond, as Python keeps it (truncated, not rounded).
    private static func clock(_ time: TOMLTime) -> String {
        pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2) + "." + pad(time.nanosecond / 1000, 6)
    }
}
