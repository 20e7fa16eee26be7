import Testing
@testable import SluiceCore

@Suite("Target expressions: grammar")
struct TargetExpressionTests {
    @Test("Should parse every target form of SPEC §2", arguments: [
        ("abc123", TargetExpression.revision("abc123")),
        ("head", .head),
        ("heads", .heads),
        ("base", .base),
        ("  head  ", .head),
        ("shoppingcart@head", .branchHead("shoppingcart")),
        ("v1.2@head", .branchHead("v1.2")),
        ("+2", .relative(2)),
        ("-1", .relative(-1)),
        ("+10", .relative(10)),
        ("head-2", .headRelative(-2)),
        ("abc+1", .revisionRelative("abc", 1)),
        ("abc-3", .revisionRelative("abc", -3)),
        ("label@-1", .branchRelative("label", -1)),
        ("label@+2", .branchRelative("label", 2)),
        ("feature_x", .revision("feature_x")),
    ])
    func validForms(text: String, expected: TargetExpression) throws {
        #expect(try TargetExpression.parse(text) == expected)
    }

    @Test("Should refuse malformed targets with the reason", arguments: [
        ("", "a target is empty"),
        ("   ", "a target is empty"),
        ("+0", "needs a non-zero number of steps"),
        ("-0", "needs a non-zero number of steps"),
        ("head+1", "nothing lies above `head`; use `head-N`"),
        ("a@b@c", "after `@` write `head`, `+N` or `-N`"),
        ("x@tail", "after `@` write `head`, `+N` or `-N`"),
        ("@head", "before `@` is not a branch label or revision"),
        ("abc+", "expected `<revision>+N` or `<revision>-N`"),
        ("abc+x1", "expected `<revision>+N` or `<revision>-N`"),
        ("ab cd", "not a revision id, prefix, label"),
        ("abc!", "not a revision id, prefix, label"),
    ])
    func malformed(text: String, reason: String) {
        let error = #expect(throws: TargetError.self) { try TargetExpression.parse(text) }
        guard case .malformed(let echoed, let why)? = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
        #expect(echoed == text)
        #expect(why.contains(reason), "\(why)")
        #expect(error?.description == "bad target `\(text)`: \(why)")
    }

    @Test(
        "Should parse a branch label containing `-` as a name"
    )
    func hyphenatedLabel() throws {
        #expect(try TargetExpression.parse("my-feature") == .revision("my-feature"))
    }
}
