import JinaYAML
import Testing

/// The emitter's output read back by our own loader gives the same values; strings that a YAML
/// 1.1 or 1.2 reader would type differently are quoted. (Tests/Python/test_export.py reads the
/// same kind of output with PyYAML.)
@Suite("YAML emitter")
struct YAMLEmitterTests {
    /// Strings that must stay strings.
    static let trickyStrings = [
        "yes", "no", "on", "off", "Yes", "OFF", "y", "n", "true", "False", "null", "Null", "~", "",
        "1", "-1", "+1", "1.5", "1e3", "1.0e+3", ".5", "0x1F", "010", "0b11", "1:30", "1_000", ".inf", "-.inf", ".nan",
        "=", "<<", "2024-01-31", ":", "a: b", "#x", "x #y", "- x", "-", "--port", "*ref", "&anchor", "!tag", "%x",
        "@x", "`x`", "{a}", "[a]", "'quoted'", "\"dq\"", "trailing ", " leading", "tab\tinside", "line\nbreak",
        "two\nlines\n", "ünïcode ✓", "$eq", "${{ ENV.X }}", "dns://svc.ns.svc:8080", "name/0=grpc://h:1,grpc://h:2",
        "{\"text\":\"hello, world!\"}", "nvidia.com/gpu", "100m", "128Mi",
    ]

    @Test(arguments: trickyStrings)
    func stringsReadBackAsStrings(_ text: String) throws {
        let yaml = YAMLEmitter.emit(.map(["key": .string(text), "list": [.string(text)]]))
        let node = try #require(try YAMLLoader.load(yaml))
        guard case .mapping(let pairs) = node.content, case .scalar(let scalar) = pairs[0].value.content else {
            Issue.record("not a mapping: \(yaml)")
            return
        }
        #expect(scalar.value == .string(text), "emitted as: \(yaml)")
        if case .sequence(let items) = pairs[1].value.content, case .scalar(let item) = items[0].content {
            #expect(item.value == .string(text))
        } else {
            Issue.record("list lost: \(yaml)")
        }
    }

    @Test func typedScalarsKeepTheirType() throws {
        let yaml = YAMLEmitter.emit(.map(["i": 42, "n": .int(-7), "b": true, "z": .null, "d": .double(1.5), "e": .double(1e-5)]))
        let node = try #require(try YAMLLoader.load(yaml))
        guard case .mapping(let pairs) = node.content else { Issue.record("not a mapping"); return }
        let values = pairs.map { pair -> ScalarValue? in
            if case .scalar(let scalar) = pair.value.content { scalar.value } else { nil }
        }
        #expect(values == [.int(42), .int(-7), .bool(true), .null, .float(1.5), .float(1e-5)], "\(yaml)")
    }

    @Test func plainWhereSafeAndOrderKept() {
        let yaml = YAMLEmitter.emit(.map(["apiVersion": "apps/v1", "kind": "Deployment", "args": ["--port", "8080"]]))
        #expect(yaml == "apiVersion: apps/v1\nkind: Deployment\nargs:\n- --port\n- '8080'\n")
    }

    @Test func multiLineStringsUseLiteralBlocks() {
        let yaml = YAMLEmitter.emit(.map(["flow.yml": "jtype: Flow\nexecutors: []\n"]))
        #expect(yaml == "flow.yml: |\n  jtype: Flow\n  executors: []\n")
    }

    @Test func documentsAreSeparated() {
        let yaml = YAMLEmitter.emit(documents: [.map(["a": 1]), .map(["b": 2])])
        #expect(yaml == "---\na: 1\n---\nb: 2\n")
    }

    @Test func longLinesAreNotFolded() {
        let long = String(repeating: "word ", count: 60) + "end"
        let yaml = YAMLEmitter.emit(.map(["k": .string(long)]))
        #expect(yaml.split(separator: "\n").count == 1)
    }

    @Test func emptyCollections() throws {
        let yaml = YAMLEmitter.emit(.map(["m": .mapping(YAMLMapping()), "s": []]))
        #expect(yaml == "m: {}\ns: []\n")
    }

    @Test func mappingKeepsInsertionOrderAndReplacesInPlace() {
        var mapping = YAMLMapping()
        mapping["b"] = 1
        mapping["a"] = 2
        mapping["b"] = 3
        mapping["c"] = nil
        #expect(mapping.keys == ["b", "a"])
        #expect(mapping["b"] == 3)
        mapping["b"] = nil
        #expect(mapping.keys == ["a"])
    }
}
