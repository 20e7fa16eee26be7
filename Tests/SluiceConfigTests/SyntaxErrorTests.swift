import Testing
import SluiceConfig

@Suite("TOML syntax errors")
struct SyntaxErrorTests {
    @Test("Should report the line and column of a TOML syntax error")
    func syntaxErrorLine() throws {
        let text = """
        database = "var/app.db"
        settle = "500ms"
        [log
        level = "info"
        """
        let error = try #require(#expect(throws: ConfigurationError.self) {
            try SluiceConfiguration.parse(text, path: "config/sluice.toml")
        })
        #expect(error.line == 3)
        #expect(error.column != nil)
        #expect(error.key == nil)
        #expect(error.description.hasPrefix("config/sluice.toml:3:\(error.column ?? 0): invalid TOML: "))
    }

    @Test("Should report a duplicate key as a syntax error with its line")
    func duplicateKey() throws {
        let error = try #require(#expect(throws: ConfigurationError.self) {
            try SluiceConfiguration.parse("settle = \"1s\"\n\nsettle = \"2s\"\n", path: "c.toml")
        })
        #expect(error.line == 3)
    }

    @Test("Should format each kind of error as a compiler-style diagnostic")
    func descriptions() {
        #expect(ConfigurationError(path: "c.toml", key: "log.level", reason: "bad").description == "c.toml: key `log.level`: bad")
        #expect(ConfigurationError(path: "c.toml", line: 4, column: 2, reason: "bad").description == "c.toml:4:2: bad")
        #expect(ConfigurationError(path: "c.toml", line: 4, reason: "bad").description == "c.toml:4: bad")
        #expect(ConfigurationError(path: "c.toml", reason: "bad").description == "c.toml: bad")
    }
}
