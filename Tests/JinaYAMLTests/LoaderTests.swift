import JinaYAML
import Testing

@Suite("Loader: documents, tags, duplicate keys")
struct LoaderTests {
    @Test(arguments: ["", "\n\n", "# only a comment\n", "  # indented\n# two\n"])
    func emptyStreamsHaveNoDocument(text: String) throws {
        #expect(try YAMLLoader.load(text) == nil)
    }

    @Test func anExplicitEmptyDocumentIsNull() throws {
        #expect(try load("---\n").value == .null)
    }

    @Test func mappingsKeepFileOrder() throws {
        let root = try load("zeta: 1\nalpha: 2\nmid: 3\n")
        #expect(root.keys == ["zeta", "alpha", "mid"])
    }

    @Test func aSecondDocumentIsAnError() throws {
        let error = try #require(loadError("a: 1\n---\nb: 2\n"))
        #expect(error.message == "only one YAML document is allowed")
        #expect(error.mark == mark(2, 1))
        #expect(error.hint != nil)
    }

    @Test func aSecondDocumentAfterAnEndMarkerIsAnError() throws {
        let error = try #require(loadError("a: 1\n...\n---\nb: 2\n"))
        #expect(error.message == "only one YAML document is allowed")
        #expect(error.mark == mark(3, 1))
        // Without `---`, text after `...` is a syntax error.
        #expect(loadError("a: 1\n...\nb: 2\n")?.message == "did not find expected <document start>")
    }

    @Test func anEndMarkerAloneIsFine() throws {
        #expect(try load("--- \na: 1\n...\n")["a"]?.value == .int(1))
    }

    @Test func defaultTagsAreDropped() throws {
        let root = try load("a: 1\nb: [x]\nc: {d: e}\nf: 'q'\n")
        #expect(root.tag == nil)
        for key in ["a", "b", "c", "f"] {
            #expect(root[key]?.tag == nil, "\(key)")
        }
        #expect(root["b"]?[0]?.tag == nil)
    }

    @Test func applicationTagsAreKept() throws {
        let root = try load("!Flow\nexecutors:\n  - !Exec {name: a}\n  - !local 3\n")
        #expect(root.tag == "!Flow")
        #expect(root["executors"]?[0]?.tag == "!Exec")
        #expect(root["executors"]?[1]?.tag == "!local")
        #expect(root["executors"]?[1]?.value == .int(3))  // still typed as plain text
    }

    @Test func explicitCoreTagsDecideTheType() throws {
        let root = try load("""
            a: !!str 1
            b: !!str true
            c: !!int "3"
            d: !!float 2
            e: !!bool 'yes'
            f: !!null ''
            g: &anchored !!str 5
            h: !!str &second 6
            i: ! 7
            """)
        #expect(root["a"]?.value == .string("1"))
        #expect(root["a"]?.tag == "!!str")
        #expect(root["b"]?.value == .string("true"))
        #expect(root["c"]?.value == .int(3))
        #expect(root["c"]?.tag == "!!int")
        #expect(root["d"]?.value == .float(2))
        #expect(root["e"]?.value == .bool(true))
        #expect(root["f"]?.value == .null)
        #expect(root["g"]?.value == .string("5"))
        #expect(root["h"]?.value == .string("6"))
        #expect(root["i"]?.value == .string("7"))  // the non-specific tag `!` means string
    }

    @Test func anchorsWithoutTagsStayUntyped() throws {
        let root = try load("a: &n 5\nb: *n\n")
        #expect(root["a"]?.tag == nil)
        #expect(root["b"]?.value == .int(5))
    }

    @Test func aTagThatCannotReadItsTextIsAnError() throws {
        let error = try #require(loadError("a: 1\nb: !!int abc\n"))
        #expect(error.message == "cannot read \"abc\" as !!int")
        #expect(error.mark == mark(2, 4))
    }

    @Test func duplicateKeysAreRejectedAtTheSecondKey() throws {
        let error = try #require(loadError("name: a\nport: 1\nname: b\n"))
        #expect(error.message == "duplicate key \"name\" (first defined on line 1)")
        #expect(error.mark == mark(3, 1))
        #expect(error.hint != nil)
    }

    @Test func nestedDuplicateKeysAreRejected() throws {
        let error = try #require(loadError("executors:\n  - name: a\n    uses: X\n    uses: Y\n"))
        #expect(error.message == "duplicate key \"uses\" (first defined on line 3)")
        #expect(error.mark == mark(4, 5))
    }

    @Test func keysThatPythonConsidersEqualAreDuplicates() throws {
        #expect(loadError("yes: 1\ntrue: 2\n")?.mark == mark(2, 1))
        #expect(loadError("{1: a, 1.0: b}")?.message == "duplicate key \"1.0\" (first defined on line 1)")
        #expect(loadError("~: a\nnull: b\n") != nil)
        #expect(loadError("1: a\ntrue: b\n")?.message == "duplicate key \"true\" (first defined on line 1)")
    }

    @Test func keysOfDifferentTypesAreNotDuplicates() throws {
        #expect(try load("1: a\n'1': b\n\"true\": c\nfalse: d\n").count == 4)
    }

    @Test func nonScalarKeysAreRejected() throws {
        let error = try #require(loadError("? [a, b]\n: c\n"))
        #expect(error.message == "a mapping key must be a scalar, not a list")
        #expect(error.mark == mark(1, 3))
    }
}
