import JinaYAML
import Testing

@Suite("Loader: aliases, merge keys and limits")
struct AliasTests {
    @Test func aliasesExpandToCopiesOfTheAnchoredNode() throws {
        let root = try load("""
            base: &base {replicas: 2, env: [a, b]}
            one: *base
            two: [*base, *base]
            name: &n encoder
            again: *n
            """)
        let base = try #require(root["base"])
        #expect(root["one"] == base)
        #expect(root["two"]?[1] == base)
        #expect(root["one"]?["env"]?[1]?.value == .string("b"))
        #expect(root["again"]?.value == .string("encoder"))
        // A copy keeps the marks of the anchored original.
        #expect(root["one"]?.mark == mark(1, 7))
    }

    @Test func mergeKeysMergeLikePyYAML() throws {
        let root = try load("""
            defaults: &defaults
              replicas: 2
              timeout: 10
            extra: &extra
              timeout: 99
              shards: 3
            encoder:
              <<: *defaults
              name: enc
              replicas: 5
            both:
              <<: [*defaults, *extra]
            """)
        let encoder = try #require(root["encoder"])
        // Merged keys first, explicit keys override them.
        #expect(encoder.keys == ["replicas", "timeout", "name"])
        #expect(encoder["replicas"]?.value == .int(5))
        #expect(encoder["timeout"]?.value == .int(10))
        let both = try #require(root["both"])
        // Of several merged mappings the earlier wins.
        #expect(both["timeout"]?.value == .int(10))
        #expect(both["shards"]?.value == .int(3))
        #expect(both["replicas"]?.value == .int(2))
        #expect(both.count == 3)
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() throws {
        let root = try load("'<<': {a: 1}\n")
        #expect(root.keys == ["<<"])
    }

    @Test func mergingAScalarIsAnError() throws {
        let error = try #require(loadError("a: &s 1\nb:\n  <<: *s\n"))
        #expect(error.message == "a merge key (<<) needs a mapping or a list of mappings")
        #expect(error.mark == mark(1, 4))
    }

    @Test func aCyclicAliasIsAnError() throws {
        let error = try #require(loadError("a: &x [1, *x]\n"))
        #expect(error.message.hasPrefix("cyclic alias"))
        #expect(error.mark == mark(1, 4))
        let mapping = try #require(loadError("&m {self: *m}"))
        #expect(mapping.message.hasPrefix("cyclic alias"))
        let indirect = try #require(loadError("a: &a {b: &b [*a]}\n"))
        #expect(indirect.message.hasPrefix("cyclic alias"))
    }

    @Test func billionLaughsFailsQuickly() throws {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let start = ContinuousClock.now
        let error = try #require(loadError(lines.joined(separator: "\n")))
        // Stopped, not expanded (10^10 nodes); the bound leaves room for a machine under contention.
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(error.message == "aliases expand to more than 100000 nodes")
        #expect(error.hint != nil)
    }

    @Test func aliasesWithinLimitsLoad() throws {
        // 10 × 10 × 10 leaves: well under the limit.
        let text = """
            a: &a [x, x, x, x, x, x, x, x, x, x]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
            """
        #expect(try load(text)["c"]?[9]?[9]?[9]?.value == .string("x"))
        let tight = YAMLLimits(maxDepth: 200, maxNodes: 1_000)
        #expect(loadError(text, limits: tight)?.message == "aliases expand to more than 1000 nodes")
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let depth = 10_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = try #require(loadError(text))
        #expect(error.message == "nesting is deeper than 200 levels")
        #expect(error.mark == mark(1, 201))
    }

    @Test func aMillionOpenBracketsFailFast() throws {
        // libyaml's scanner is quadratic in flow depth; it must be stopped, not waited for.
        let text = String(repeating: "[", count: 1_000_000)
        let start = ContinuousClock.now
        let error = try #require(loadError(text))
        // Stopped early, not waited for (quadratic: hours); room for a machine under contention.
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(error.message == "nesting is deeper than 200 levels")
        #expect(error.mark == mark(1, 201))
    }

    @Test func deepFlowMappingsAreStoppedAtTheirBrace() throws {
        let error = try #require(loadError(String(repeating: "{a: ", count: 300)))
        #expect(error.message == "nesting is deeper than 200 levels")
        #expect(error.mark == mark(1, 801))
    }

    @Test func deepBlockNestingIsAnError() throws {
        var text = ""
        for level in 0..<300 {
            text += String(repeating: " ", count: level) + "k:\n"
        }
        let error = try #require(loadError(text + String(repeating: " ", count: 300) + "v\n"))
        #expect(error.message == "nesting is deeper than 200 levels")
        #expect(error.mark == mark(201, 201))
    }

    @Test func unclosedNestingIsASyntaxErrorAtTheEndOfTheText() throws {
        let error = try #require(loadError(String(repeating: "[", count: 150)))
        #expect(error.message.hasPrefix("while parsing a flow"))
        #expect(error.mark == mark(1, 151))  // the end of the text, not a line after it
    }

    @Test func deepCompactBlockSequencesAreAnError() throws {
        let error = try #require(loadError(String(repeating: "- ", count: 100_000) + "x"))
        #expect(error.message == "nesting is deeper than 200 levels")
        #expect(error.mark == mark(1, 401))
    }

    @Test func nestingAtTheLimitLoads() throws {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try load(text).count == 1)
        #expect(loadError(text, limits: YAMLLimits(maxDepth: 199, maxNodes: 1_000)) != nil)
    }

    @Test func anAliasReusedDeeperCountsItsDepth() throws {
        let text = "a: &deep [[[x]]]\nb: [[*deep]]\n"
        #expect(try load(text, limits: YAMLLimits(maxDepth: 6, maxNodes: 100))["b"] != nil)
        let error = try #require(loadError(text, limits: YAMLLimits(maxDepth: 5, maxNodes: 100)))
        #expect(error.message == "nesting is deeper than 5 levels")
    }

    @Test func tooManyNodesWithoutAliases() throws {
        let text = "[" + Array(repeating: "1", count: 50).joined(separator: ",") + "]"
        let error = try #require(loadError(text, limits: YAMLLimits(maxDepth: 10, maxNodes: 20)))
        #expect(error.message == "the document has more than 20 nodes")
    }
}
