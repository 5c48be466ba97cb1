import Foundation
import JinaCore
import Testing

/// Executor YAMLs (`uses: x.yml`) are read with the Flow: `--validate` reports their problems in
/// the same pass, at their place in the file (issue #11 item 4).
@Suite("executor YAMLs")
struct ExecutorConfigFileTests {
    @Test("executor YAML problems name the file and position", arguments: [
        ("jtype: Nope\n", "e.yml:1:8", "not a built-in executor"),
        ("with: {text: x}\n", "e.yml:1:1", "missing `jtype`"),
        ("jtype: TextAppend\nwith: 3\n", "e.yml:2:7", "`with` must be a mapping"),
        ("- a\n", "e.yml:1:1", "must be a mapping"),
        ("jtype: TextAppend\nmetaz: {}\n", "e.yml:2:1", "unknown key `metaz`"),
        ("jtype: TextAppend\ndynamic_batching: {/a: {custom_metric: f}}\n", "e.yml:2:19", "needs a Python function"),
    ])
    func configProblems(text: String, place: String, expected: String) {
        #expect {
            try ExecutorConfigFile.parse(text, displayPath: "e.yml", executor: "a")
        } throws: { error in
            guard let error = error as? ExecutorConfigProblem else { return false }
            return error.summary.hasPrefix(place + ": error: ") && error.summary.contains(expected)
                && error.summary.hasSuffix("(executor `a`)") && error.kind == .invalidInput
        }
    }

    @Test("a file that lists its own modules is Python, even when its class shares a built-in's name")
    func ownModulesMakeItPython() throws {
        let config = try ExecutorConfigFile.parse("jtype: TextEncoder\nmetas: {py_modules: [encoders.py]}\n", displayPath: "e.yml", executor: "a")
        #expect(config.isPython && config.jtype == "TextEncoder" && config.pythonModules == ["encoders.py"])
        #expect(try !ExecutorConfigFile.parse("jtype: TextEncoder\n", displayPath: "e.yml", executor: "a").isPython)
    }

    /// A folder `flows/` holding the executor YAMLs the tests name.
    static let folder: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-exec-yaml-\(getpid())/flows").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = [
            "good.yml": "jtype: TextAppend\nwith: {text: '!'}\n",
            "bad.yml": "jtype: TextAppend\nwith: {text: '!'}\nrequestz: {}\n",
            "typo.yml": "jtype: TextApend\n",
            "index.yml": "jtype: VectorIndex\nwith: {dimension: 4}\n",
            "broken.yml": "jtype: [\n",
        ]
        for (name, text) in files { FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8)) }
        return folder
    }()

    func load(_ executors: String) -> FlowLoadResult {
        FlowLoader.load(text: "jtype: Flow\nexecutors:\n" + executors, file: "flows/flow.yml", environment: [:], directory: Self.folder)
    }

    @Test("validation opens each executor YAML and reports its problems with the Flow's, in one pass")
    func validateOpensExecutorYAMLs() throws {
        let result = load("""
              - name: ok
                uses: good.yml
              - name: extra
                uses: bad.yml
              - name: typo
                uses: typo.yml
              - name: broken
                uses: broken.yml
              - name: wrong
                uses: TextAppend
                replicas: zero
            """)
        #expect(result.flow == nil)
        let text = DiagnosticRenderer.text(result.diagnostics)
        // The Flow's own problem, then each file's, named as the user can open them.
        #expect(text.contains("flows/flow.yml:13:15: error:"))
        #expect(text.contains("flows/bad.yml:3:1: error: unknown key `requestz`"))
        #expect(text.contains("(executor `extra`)"))
        #expect(text.contains("flows/typo.yml:1:8: error: `TextApend` is not a built-in executor"))
        #expect(text.contains("flows/broken.yml:"))
        #expect(!text.contains("good.yml"))
        let json = FlowReport.json(result)
        #expect(json.contains(#""file" : "flows/typo.yml""#))
    }

    @Test("a VectorIndex from an executor YAML with replicas is an error at `replicas`; its polling is applied")
    func vectorIndexDefaults() throws {
        let refused = load("  - name: index\n    uses: index.yml\n    replicas: 2\n")
        let item = try #require(refused.diagnostics.errors.first)
        #expect(item.file == nil && item.mark?.line == 5 && item.message.contains("cannot have replicas (2)"))
        let accepted = load("  - name: index\n    uses: index.yml\n    shards: 2\n")
        let spec = try #require(accepted.flow?.executors.first)
        #expect(spec.polling == PollingSpec(default: .all, perEndpoint: ["/index": .any]))
    }

    @Test("a Flow read from text alone does not open files")
    func noDirectoryNoFiles() {
        let result = FlowLoader.load(text: "jtype: Flow\nexecutors:\n  - uses: typo.yml\n", file: "<stdin>", environment: [:])
        #expect(result.diagnostics.items.isEmpty)
    }
}
