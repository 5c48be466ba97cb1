import Foundation
import JinaCore
import Testing

/// `--validate` for Python executors: offline, without Python (issue #12).
@Suite("validating Python executors")
struct PythonExecutorValidationTests {
    /// A folder with `encoders.py` (classes `TextEncoder`, `_Helper`) and `pkg/__init__.py`.
    static let folder: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jina-py-validate-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: folder + "/pkg", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/encoders.py", contents: Data("""
            from jina import Executor
            class TextEncoder(Executor):
                pass
                class _Helper:
                    pass
            classic = 1
            """.utf8))
        FileManager.default.createFile(atPath: folder + "/pkg/__init__.py", contents: Data("class Indexer(object): ...\n".utf8))
        FileManager.default.createFile(atPath: folder + "/exec.yml", contents: Data("jtype: TextEncoder\n".utf8))
        return folder
    }()

    func load(_ text: String) -> FlowLoadResult {
        FlowLoader.load(text: "jtype: Flow\n" + text, file: "flow.yml", environment: [:], directory: Self.folder)
    }

    func lines(_ result: FlowLoadResult) -> [String] {
        result.diagnostics.items.map { item in
            "\(item.mark.map { "\($0.line):\($0.column)" } ?? "-") \(item.severity.rawValue): \(item.message)"
                + (item.hint.map { " | \($0)" } ?? "")
        }
    }

    @Test func aClassTheModulesDefineIsQuiet() {
        let result = load("executors:\n  - uses: TextEncoder\n    py_modules: [encoders.py]\n  - uses: Indexer\n    py_modules: pkg\n")
        #expect(lines(result) == [])
        #expect(result.flow?.executors.map(\.uses) == [.python(className: "TextEncoder"), .python(className: "Indexer")])
    }

    @Test func aMisspeltClassIsAWarningAtUsesWithDidYouMean() {
        let result = load("executors:\n  - uses: TextEncodr\n    py_modules: [encoders.py]\n")
        #expect(lines(result) == ["3:11 warning: uses: no `class TextEncodr` in py_modules (encoders.py) | did you mean `TextEncoder`?"])
        #expect(result.flow != nil)
    }

    @Test func aMissingModuleIsAnErrorAtItsListItem() {
        let result = load("executors:\n  - uses: TextEncoder\n    py_modules: [encoders.py, missing.py]\n")
        let expected = "4:31 error: py_modules: no such file `missing.py` (looked for \(Self.folder)/missing.py)"
        #expect(lines(result) == [expected + " | paths in a Flow are relative to the Flow file's folder"])
        #expect(result.flow == nil)
    }

    @Test func modulesUnderWithReachEveryExecutorButNotBuiltins() {
        let result = load("with:\n  py_modules: encoders.py\nexecutors:\n  - uses: TextEncoder\n  - uses: TextAppend\n")
        #expect(lines(result) == [])
        #expect(result.flow?.executors.map(\.uses) == [.python(className: "TextEncoder"), .builtin("TextAppend")])
    }

    @Test func aMissingExecutorYAMLIsAnError() {
        #expect(lines(load("executors:\n  - uses: exec.yml\n")) == [])
        let result = load("executors:\n  - uses: nope.yml\n")
        #expect(result.diagnostics.errors.map(\.message) == ["uses: no such executor YAML `nope.yml` (looked for \(Self.folder)/nope.yml)"])
    }

    @Test func pythonOnlyKeysWarnOnOtherExecutorsOnly() {
        let python = load("executors:\n  - uses: TextEncoder\n    py_modules: encoders.py\n    uses_metas: {a: 1}\n    allow_concurrent: true\n")
        #expect(lines(python) == [])
        #expect(python.flow?.executors[0].pythonOptions == ["uses_metas": .object(["a": .int(1)]), "allow_concurrent": .bool(true)])
        let builtin = load("executors:\n  - name: a\n    uses: Identity\n    allow_concurrent: true\n")
        #expect(lines(builtin) == ["5:5 warning: `allow_concurrent` is used by Python executors only; executor `a` ignores it"])
    }

    @Test func withoutADirectoryNoFileIsChecked() {
        let result = FlowLoader.load(text: "jtype: Flow\nexecutors:\n  - uses: X\n    py_modules: nowhere.py\n",
                                     file: "flow.yml", environment: [:])
        #expect(!result.diagnostics.hasErrors)
    }
}
