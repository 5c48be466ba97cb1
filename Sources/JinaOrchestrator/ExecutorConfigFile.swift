import Foundation
import JinaCore
import JinaYAML

/// An executor YAML named by `uses: path.yml`, in the simple form this version runs:
///
/// ```yaml
/// jtype: TextAppend
/// with:
///   text: "!"
/// ```
///
/// `jtype` must be a built-in executor; `with` becomes its `uses_with`. Python-only keys
/// (`py_modules`, `metas`, `requests`) are refused with a hint, since they need Python Jina.
public struct ExecutorConfigFile: Equatable {
    public var jtype: String
    public var with: [String: SpecValue]

    public static func load(_ file: String, displayPath: String, executor: String) throws(OrchestratorError) -> ExecutorConfigFile {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw OrchestratorError(
                .invalidInput, "executor `\(executor)`: cannot read its executor YAML \(displayPath) (\(file))",
                hint: "executor YAML paths are relative to the Flow file's folder")
        }
        return try parse(String(decoding: data, as: UTF8.self), displayPath: displayPath, executor: executor)
    }

    static func parse(_ text: String, displayPath: String, executor: String) throws(OrchestratorError) -> ExecutorConfigFile {
        func problem(_ message: String, at mark: Mark? = nil, hint: String? = nil) -> OrchestratorError {
            let place = mark.map { "\(displayPath):\($0.line):\($0.column)" } ?? displayPath
            return OrchestratorError(.invalidInput, "\(place): error: \(message) (executor `\(executor)`)", hint: hint)
        }
        let root: YAMLNode?
        do {
            root = try YAMLLoader.load(text)
        } catch {
            throw problem(error.message, at: error.mark, hint: error.hint)
        }
        guard let root, case .mapping(let pairs) = root.content else {
            throw problem("an executor YAML must be a mapping with `jtype` and `with`", at: root?.mark)
        }
        var jtype: String?
        var with: [String: SpecValue] = [:]
        for pair in pairs {
            guard case .scalar(let key) = pair.key.content else { throw problem("keys must be plain text", at: pair.key.mark) }
            switch key.text {
            case "jtype":
                guard case .scalar(let value) = pair.value.content, case .string(let name) = value.value else {
                    throw problem("`jtype` must be the name of a built-in executor", at: pair.value.mark)
                }
                guard BuiltinExecutorCatalog.lookup(name) != nil else {
                    throw problem(
                        "`\(name)` is not a built-in executor", at: pair.value.mark,
                        hint: "built-in executors: \(BuiltinExecutorCatalog.allNames.joined(separator: ", ")); a Python executor runs with Python Jina's `jina executor` and joins as `external`")
                }
                jtype = name
            case "with":
                switch SpecValue(pair.value) {
                case .object(let object): with = object
                case .null: with = [:]
                default: throw problem("`with` must be a mapping of the executor's arguments", at: pair.value.mark)
                }
            case "py_modules", "metas", "requests":
                throw problem(
                    "`\(key.text)` needs Python Jina and is not supported", at: pair.key.mark,
                    hint: "run this executor with Python Jina's `jina executor` and add it to the Flow as `external`")
            default:
                throw problem("unknown key `\(key.text)` (an executor YAML here holds `jtype` and `with`)", at: pair.key.mark)
            }
        }
        guard let jtype else { throw problem("missing `jtype` (the built-in executor to run)", at: root.mark) }
        return ExecutorConfigFile(jtype: jtype, with: with)
    }
}
