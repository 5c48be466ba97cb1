import Testing
@testable import JinaGateway

/// `target_executor` patterns: the same yes/no answers as `re.match` on executor names, without
/// backtracking.
@Suite struct TargetPatternTests {
    static let names = ["encoder", "encoder_v2", "indexer", "shop_the_look_image_encoder", "a1", "Indexer", "x-y"]

    /// Every pattern here answers as Swift's backtracking `Regex` (Python's semantics for these).
    @Test(arguments: [
        "encoder", "enc", "encoder$", "encoder_v\\d", "(encoder|indexer)$", "(?:en|in)\\w+", "[ei]n.*r$",
        "[^e].*", "\\w+_\\w+", "a\\d{1,2}$", "encod(er)?", ".*image.*", "Index.*", "x\\-y", "en.+?r", "[a-c]1",
        "(a|b)+1", "(indexer)*", "", ".", "[\\d_a]+", "x-y$",
    ])
    func answersAsRegexDoes(pattern: String) throws {
        let posix = try #require(TargetPattern(pattern), "\(pattern) should translate")
        let regex = try Regex(pattern)
        for name in Self.names {
            #expect(posix.matchesPrefix(name) == (name.prefixMatch(of: regex) != nil), "\(pattern) on \(name)")
        }
    }

    /// What POSIX cannot say is no pattern here: the target is then compared as a name.
    @Test(arguments: ["(?=enc)", "(a)\\1", "\\bend", "(?i)enc", "a{", "*a", "[a", "x[[:alpha:]]", "(?P<n>a)"])
    func untranslatable(pattern: String) {
        #expect(TargetPattern(pattern) == nil)
        #expect(TargetPattern(String(repeating: "a", count: TargetPattern.maxLength + 1)) == nil)
    }

    /// Patterns that take a backtracking engine exponential time on a 27-character name finish
    /// here (their cost grows with the name, not exponentially).
    @Test(arguments: ["(.|.)*x", "((.*)*)*x", "(a|a|a)*b", "(\\w+)+$z", "([a-z_]+)*1"])
    func hostilePatternsFinish(pattern: String) throws {
        let posix = try #require(TargetPattern(pattern))
        #expect(!posix.matchesPrefix("shop_the_look_image_encoder"))
    }
}
