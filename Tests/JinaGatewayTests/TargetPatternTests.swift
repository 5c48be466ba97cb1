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
        "(a|b)+1", "(indexer)*", "", ".", "[\\d_a]+", "x-y$", "x{1}\\-y", "(en|in){1,2}c?", "a|",
    ])
    func answersAsRegexDoes(pattern: String) throws {
        let posix = try #require(TargetPattern(pattern), "\(pattern) should translate")
        let regex = try Regex(pattern)
        for name in Self.names {
            #expect(posix.matchesPrefix(name) == (name.prefixMatch(of: regex) != nil), "\(pattern) on \(name)")
        }
    }

    /// What POSIX cannot say is no pattern here: the target is then compared as a name.
    @Test(arguments: [
        "(?=enc)", "(a)\\1", "\\bend", "(?i)enc", "a{", "*a", "[a", "x[[:alpha:]]", "(?P<n>a)",
        // What the C library would read otherwise than Python: an unbalanced parenthesis that
        // escapes the `^(…)` wrapper, an escaped `[` in brackets, non-ASCII bytes, a class as a
        // range's start.
        "a)|(b", "(a", "[\\[:alpha:]]x", "é*x", "[\\w-a]",
        // Bounded repeats the C library compiles by copying: nested, too large, too many.
        "(x{32767}){32767}", "(a{2}){2}", "a{101}", "((a{2})b){3}", "a{1}b{1}c{1}d{1}e{1}f{1}g{1}h{1}i{1}",
    ])
    func untranslatable(pattern: String) {
        #expect(TargetPattern(pattern) == nil)
        #expect(TargetPattern(String(repeating: "a", count: TargetPattern.maxLength + 1)) == nil)
    }

    /// `\<`, `\>`, `` \` `` and `\'` are anchors to the C library; to Python they are the
    /// characters themselves.
    @Test func escapedCharactersAreThemselves() throws {
        let angle = try #require(TargetPattern("\\<x"))
        #expect(angle.matchesPrefix("<x1") && !angle.matchesPrefix("x1"))
        let quote = try #require(TargetPattern("a\\'"))
        #expect(quote.matchesPrefix("a'") && !quote.matchesPrefix("a"))
        let underscore = try #require(TargetPattern("\\_x"))
        #expect(underscore.matchesPrefix("_x") && !underscore.matchesPrefix("x"))
    }

    @Test func compiledPatternsAreKeptPerTarget() {
        #expect(TargetPattern.cached("enc.*") === TargetPattern.cached("enc.*"))
        #expect(TargetPattern.cached("(?=x)") == nil)
    }

    /// Patterns that take a backtracking engine exponential time on a 27-character name finish
    /// here (their cost grows with the name, not exponentially).
    @Test(arguments: ["(.|.)*x", "((.*)*)*x", "(a|a|a)*b", "(\\w+)+$z", "([a-z_]+)*1"])
    func hostilePatternsFinish(pattern: String) throws {
        let posix = try #require(TargetPattern(pattern))
        #expect(!posix.matchesPrefix("shop_the_look_image_encoder"))
    }
}
