import JinaYAML
import Testing

/// Every expectation here was checked against PyYAML 6.0 (`yaml.safe_load`), except where a
/// comment says we differ on purpose.
@Suite("YAML 1.1 scalar typing")
struct ScalarResolverTests {
    static let table: [(String, ScalarValue)] = [
        // null
        ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null), ("", .null),
        ("nULL", .string("nULL")),
        // bool: YAML 1.1 words, but not y/n
        ("yes", .bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)), ("yES", .string("yES")),
        ("no", .bool(false)), ("NO", .bool(false)), ("true", .bool(true)), ("True", .bool(true)),
        ("tRUE", .string("tRUE")), ("false", .bool(false)), ("FALSE", .bool(false)),
        ("on", .bool(true)), ("On", .bool(true)), ("ON", .bool(true)),
        ("off", .bool(false)), ("Off", .bool(false)), ("OFF", .bool(false)),
        ("y", .string("y")), ("Y", .string("Y")), ("n", .string("n")), ("N", .string("N")),
        // int
        ("0", .int(0)), ("42", .int(42)), ("-17", .int(-17)), ("+5", .int(5)), ("+0", .int(0)),
        ("1_000", .int(1000)), ("1__0", .int(10)), ("0x1F", .int(31)), ("0x_1f", .int(31)),
        ("-0x1F", .int(-31)), ("010", .int(8)), ("-010", .int(-8)), ("0_10", .int(8)), ("0_", .int(0)),
        ("0b101", .int(5)), ("-0b11", .int(-3)), ("0o17", .string("0o17")),
        ("08", .string("08")), ("09", .string("09")), ("0x", .string("0x")),
        ("1:30", .int(90)), ("1:59", .int(119)), ("1:60", .string("1:60")),
        ("-1:30:00", .int(-5400)), ("190:20:30", .int(685_230)),
        ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
        // float: PyYAML needs a dot, and a signed exponent
        ("1.5", .float(1.5)), (".5", .float(0.5)), ("-.5", .string("-.5")), ("+.5", .string("+.5")),
        ("1.", .float(1)), ("3.", .float(3)), ("0.", .float(0)), ("-1.5", .float(-1.5)),
        ("00.5", .float(0.5)), ("1_000.5", .float(1000.5)), ("0.1", .float(0.1)),
        ("1.0e+3", .float(1000)), ("6.8523015e+5", .float(685_230.15)),
        ("1.0e3", .string("1.0e3")), ("1e3", .string("1e3")), ("1e+3", .string("1e+3")),
        (".inf", .float(.infinity)), ("-.inf", .float(-.infinity)), ("+.inf", .float(.infinity)),
        (".Inf", .float(.infinity)), (".INF", .float(.infinity)),
        ("-.nan", .string("-.nan")), ("1:30.5", .float(90.5)), ("._5", .string("._5")),
        // strings
        ("abc", .string("abc")), ("1.2.3", .string("1.2.3")), ("1-2", .string("1-2")),
        ("<<", .string("<<")), ("=", .string("=")),
        // PyYAML gives a date and a big int; ScalarValue has neither, so both stay text.
        ("2024-01-31", .string("2024-01-31")),
        ("9223372036854775808", .string("9223372036854775808")),
    ]

    @Test(arguments: table)
    func resolvesPlainScalarsLikePyYAML(text: String, expected: ScalarValue) {
        #expect(ScalarResolver.resolve(plain: text) == expected)
    }

    @Test(arguments: table)
    func loaderTypesPlainValuesTheSameWay(text: String, expected: ScalarValue) throws {
        let root = try load("v: \(text)\n")
        #expect(root["v"]?.value == expected)
        #expect(root["v"]?.scalar?.text == text)
    }

    @Test func notANumberResolvesToNaN() {
        for text in [".nan", ".NaN", ".NAN"] {
            guard case .float(let value) = ScalarResolver.resolve(plain: text) else {
                Issue.record("\(text) is not a float")
                continue
            }
            #expect(value.isNaN)
        }
    }

    @Test(arguments: ["'true'", "\"42\"", "'~'", "\"1.5\"", "'yes'", "\"\""])
    func quotedScalarsAreAlwaysStrings(written: String) throws {
        let node = try #require(try load("v: \(written)\n")["v"])
        #expect(node.value == .string(String(written.dropFirst().dropLast())))
    }

    @Test func blockScalarsAreStrings() throws {
        let root = try load("a: |\n  42\nb: >\n  true\n")
        #expect(root["a"]?.value == .string("42\n"))
        #expect(root["b"]?.value == .string("true\n"))
    }

    @Test func scalarStylesAreKept() throws {
        let root = try load("p: x\ns: 'x'\nd: \"x\"\nl: |\n  x\nf: >\n  x\n")
        #expect(root["p"]?.scalar?.style == .plain)
        #expect(root["s"]?.scalar?.style == .singleQuoted)
        #expect(root["d"]?.scalar?.style == .doubleQuoted)
        #expect(root["l"]?.scalar?.style == .literal)
        #expect(root["f"]?.scalar?.style == .folded)
    }

    @Test func escapesAreDecoded() throws {
        let root = try load(#"a: "tab\there é \u00e9""# + "\nb: 'it''s'\n")
        #expect(root["a"]?.value == .string("tab\there é é"))
        #expect(root["b"]?.value == .string("it's"))
    }

    @Test func keysAreTypedToo() throws {
        let root = try load("1: a\n'1': b\n")
        guard case .mapping(let pairs) = root.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.map(\.key.value) == [.int(1), .string("1")])
    }
}
