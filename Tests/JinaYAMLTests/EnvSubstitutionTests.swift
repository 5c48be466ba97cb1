import JinaYAML
import Testing

@Suite("Environment substitution")
struct EnvSubstitutionTests {
    private func substituted(_ text: String, _ environment: [String: String]) throws -> (YAMLNode, [YAMLError]) {
        let result = EnvSubstitution.apply(to: try load(text), environment: environment)
        return (result.node, result.errors)
    }

    @Test func aWholePlainValueIsReplacedAndRetyped() throws {
        let (root, errors) = try substituted("replicas: ${{ ENV.N }}\n", ["N": "2"])
        #expect(errors.isEmpty)
        #expect(root["replicas"]?.value == .int(2))
        #expect(root["replicas"]?.scalar?.text == "2")
        #expect(root["replicas"]?.mark == mark(1, 11))
    }

    @Test func plainValuesRetypeToEveryKind() throws {
        let env = ["T": "yes", "F": "1.5", "Z": "~", "S": "hello"]
        // Block style: in a flow list, `{` and `}` would end a plain scalar.
        let (root, _) = try substituted("- ${{ENV.T}}\n- ${{ENV.F}}\n- ${{ENV.Z}}\n- ${{ENV.S}}\n", env)
        #expect(root[0]?.value == .bool(true))
        #expect(root[1]?.value == .float(1.5))
        #expect(root[2]?.value == .null)
        #expect(root[3]?.value == .string("hello"))
    }

    @Test func aQuotedLoneExpressionTakesTheTypeOfItsValueAsInJina() throws {
        // Quoting is the only way to use a variable inside [ … ] or { … } (decisions.md).
        let (root, errors) = try substituted("a: '${{ ENV.N }}'\nb: \"${{ ENV.N }}\"\nc: ['${{ ENV.N }}', '${{ ENV.S }}']\n",
                                             ["N": "2", "S": "text"])
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .int(2))
        #expect(root["b"]?.value == .int(2))
        #expect(root["c"]?[0]?.value == .int(2))
        #expect(root["c"]?[1]?.value == .string("text"))
    }

    @Test func aQuotedExpressionIsTypedByJinasRulesNotYAMLs() throws {
        let env = ["OFF": "off", "NULL": "null", "OCTAL": "0755", "TRUE": "True", "EMPTY": "", "UNDER": "1_000", "FLOAT": "1e3"]
        let (root, errors) = try substituted(
            "a: '${{ ENV.OFF }}'\nb: '${{ ENV.NULL }}'\nc: '${{ ENV.OCTAL }}'\nd: '${{ ENV.TRUE }}'\ne: '${{ ENV.EMPTY }}'\nf: '${{ ENV.UNDER }}'\ng: '${{ ENV.FLOAT }}'\n",
            env)
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .string("off"))
        #expect(root["b"]?.value == .string("null"))
        #expect(root["c"]?.value == .int(755))
        #expect(root["d"]?.value == .bool(true))
        #expect(root["e"]?.value == .null)
        #expect(root["f"]?.value == .int(1000))
        #expect(root["g"]?.value == .float(1000))
    }

    @Test func otherQuotedValuesStayStrings() throws {
        let (root, errors) = try substituted("a: 'port ${{ ENV.N }}'\nb: '${{ ENV.N }}${{ ENV.N }}'\nc: |\n  ${{ ENV.N }}\nd: '12'\n",
                                             ["N": "2"])
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .string("port 2"))
        #expect(root["b"]?.value == .string("22"))
        #expect(root["c"]?.value == .string("2\n"))
        #expect(root["d"]?.value == .string("12"))
        #expect(root["a"]?.scalar?.style == .singleQuoted)
    }

    @Test func anExplicitTagStillDecides() throws {
        let (root, _) = try substituted("a: !!str ${{ ENV.N }}\nb: !!int '${{ ENV.N }}'\n", ["N": "7"])
        #expect(root["a"]?.value == .string("7"))
        #expect(root["b"]?.value == .int(7))
        let (_, errors) = try substituted("b: !!int '${{ ENV.N }}'\n", ["N": "seven"])
        #expect(errors.map(\.message) == ["cannot read \"seven\" as !!int"])
    }

    @Test func expressionsInsideLongerStrings() throws {
        let (root, errors) = try substituted("uri: pre-${{ ENV.X }}-mid-${{env.Y}}-post\n", ["X": "1", "Y": "2"])
        #expect(errors.isEmpty)
        #expect(root["uri"]?.value == .string("pre-1-mid-2-post"))
    }

    @Test(arguments: ["${{ENV.X}}", "${{ ENV.X }}", "${{   ENV.X\t}}", "${{ env.X }}", "${{env.X }}"])
    func whitespaceAndCaseVariants(expression: String) throws {
        let (root, errors) = try substituted("v: \"\(expression)\"\n", ["X": "ok"])
        #expect(errors.isEmpty)
        #expect(root["v"]?.value == .string("ok"))
    }

    @Test func defaultsApplyWhenUnsetOrEmpty() throws {
        let text = "a: ${{ ENV.A:-3 }}\nb: ${{ENV.B:-fallback value}}\nc: ${{ ENV.C :- x }}\nd: ${{ ENV.D:-9 }}\n"
        let (root, errors) = try substituted(text, ["C": "", "D": "4"])
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .int(3))
        #expect(root["b"]?.value == .string("fallback value"))
        #expect(root["c"]?.value == .string("x"))
        #expect(root["d"]?.value == .int(4))
    }

    @Test func anEmptyDefault() throws {
        let (root, errors) = try substituted("a: ${{ ENV.A:- }}\nb: x${{ ENV.B:-}}y\n", [:])
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .null)  // a plain empty value is null, as if written `a:`
        #expect(root["b"]?.value == .string("xy"))
    }

    @Test func aSetButEmptyVariableWithoutDefaultIsEmpty() throws {
        let (root, errors) = try substituted("a: 'x${{ ENV.E }}y'\n", ["E": ""])
        #expect(errors.isEmpty)
        #expect(root["a"]?.value == .string("xy"))
    }

    @Test func aMissingVariableIsAnErrorAtTheScalar() throws {
        let (root, errors) = try substituted("name: flow\nport: ${{ ENV.PORT }}\n", [:])
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.message == "environment variable PORT is not set")
        #expect(error.hint == "set it, or give a default: ${{ ENV.PORT:-value }}")
        #expect(error.mark == mark(2, 7))
        #expect(root["port"]?.value == .string("${{ ENV.PORT }}"))  // left as written
    }

    @Test func everyMissingVariableIsReported() throws {
        let text = """
            a: ${{ ENV.ONE }}
            b:
              - x-${{ ENV.TWO }}-${{ ENV.THREE }}
              - ${{ ENV.SET }}
            c: {d: "${{ ENV.FOUR }}"}
            """
        let (root, errors) = try substituted(text, ["SET": "here"])
        #expect(errors.map(\.message) == ["ONE", "TWO", "THREE", "FOUR"].map { "environment variable \($0) is not set" })
        #expect(errors.map(\.mark) == [mark(1, 4), mark(3, 5), mark(3, 5), mark(5, 8)])
        #expect(root["b"]?[1]?.value == .string("here"))
    }

    @Test func otherExpressionsAreLeftAsWritten() throws {
        let text = """
            a: ${{ CONTEXT.x }}
            b: ${{ executors[0].name }}
            c: ${{ ENV.bad-name }}
            d: ${{ ENV.X
            e: $ENV_X
            f: ${{ ENV. }}
            """
        let (root, errors) = try substituted(text, ["X": "1", "x": "1", "ENV_X": "1"])
        #expect(errors.isEmpty)
        let loaded = try load(text)
        #expect(root == loaded)
    }

    @Test func mappingKeysAreNotSubstituted() throws {
        let (root, errors) = try substituted("${{ ENV.K }}: v\n", [:])
        #expect(errors.isEmpty)
        #expect(root.keys == ["${{ ENV.K }}"])
    }

    @Test func textWithoutExpressionsIsUntouched() throws {
        let text = "a: 1\nb: [x, 'y']\nc: {d: ~}\n"
        let (root, errors) = try substituted(text, ["a": "no"])
        #expect(errors.isEmpty)
        #expect(root == (try load(text)))
    }

    @Test(arguments: [
        ("${{ ENV.X }}", true), ("${{ENV.X}}", true), ("${{ CONTEXT.y }}", true),
        ("${{ ENV.X:-1 }}", true), ("pre-${{ ENV.X }}", false), ("${{ ENV.X }}-post", false),
        ("${{ A }} ${{ B }}", false), ("${{ }}", false), ("${{}}", false), ("${{ ENV.X", false),
        ("ENV.X", false), ("", false), (" ${{ ENV.X }}", false),
    ])
    func isExpressionIsTrueOnlyForOneWholeExpression(text: String, expected: Bool) {
        #expect(EnvSubstitution.isExpression(text) == expected)
    }
}
