import Foundation
import JinaYAML

/// An executor YAML named by `uses: path.yml`. Two forms run:
///
/// ```yaml
/// jtype: TextAppend        # a built-in: `with` becomes its `uses_with`
/// with:
///   text: "!"
/// dynamic_batching:        # optional, as in Jina: per endpoint or handler name
///   /encode: {preferred_batch_size: 16, timeout: 50}
/// ```
///
/// and Jina's own form for a Python class (`jtype: MyExecutor`, `with:`, `metas: {py_modules:
/// …}`, `requests:`…), which Python Jina's worker reads itself: a `jtype` that is not a
/// built-in is a Python class when the file names `metas.py_modules` or the Flow gives the
/// executor `py_modules`. Python-only keys next to a built-in are refused with a hint.
public struct ExecutorConfigFile: Equatable {
    public var jtype: String
    public var with: [String: SpecValue]
    /// `dynamic_batching:` per endpoint or handler name; the Flow's `uses_dynamic_batching` goes on top.
    public var dynamicBatching: [String: DynamicBatchingSettings] = [:]
    /// `jtype` is a Python class: the whole file goes to Python Jina's worker.
    public var isPython = false

    public init(jtype: String, with: [String: SpecValue], dynamicBatching: [String: DynamicBatchingSettings] = [:],
                isPython: Bool = false, pythonModules: [String] = []) {
        self.jtype = jtype
        self.with = with
        self.dynamicBatching = dynamicBatching
        self.isPython = isPython
        self.pythonModules = pythonModules
    }
    /// A Python class's `metas.py_modules` (or top-level `py_modules`), relative to the file's folder.
    public var pythonModules: [String] = []

    /// - Parameter pythonModules: whether the Flow gives the executor `py_modules` (a class
    ///   defined there can be named without `metas.py_modules`).
    public static func load(
        _ file: String, displayPath: String, executor: String, pythonModules: Bool = false
    ) throws(ExecutorConfigProblem) -> ExecutorConfigFile {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ExecutorConfigProblem(
                file: nil, mark: nil, message: "cannot read its executor YAML \(displayPath) (\(file))", executor: executor,
                hint: "executor YAML paths are relative to the Flow file's folder")
        }
        return try parse(String(decoding: data, as: UTF8.self), displayPath: displayPath, executor: executor,
                         pythonModules: pythonModules)
    }

    public static func parse(
        _ text: String, displayPath: String, executor: String, pythonModules: Bool = false
    ) throws(ExecutorConfigProblem) -> ExecutorConfigFile {
        func problem(_ message: String, at mark: Mark? = nil, hint: String? = nil) -> ExecutorConfigProblem {
            ExecutorConfigProblem(file: displayPath, mark: mark, message: message, executor: executor, hint: hint)
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
        // A class name that is not a built-in, with modules to find it in: Python Jina's.
        // (Jina also accepts the class as the document's tag: `!MyExecutor`.)
        var className = root.tag.flatMap { $0.hasPrefix("!") && !$0.hasPrefix("!!") ? String($0.dropFirst()) : nil }
        if let node = pairs.first(where: { $0.key.scalar?.text == "jtype" })?.value,
           case .scalar(let value) = node.content, case .string(let name) = value.value {
            className = name
        }
        // A file that lists its own modules is Python even when its class shares a built-in's name.
        if let name = className,
           Self.hasPythonModules(pairs) || (pythonModules && BuiltinExecutorCatalog.lookup(name) == nil) {
            return ExecutorConfigFile(jtype: name, with: [:], isPython: true, pythonModules: Self.pythonModules(pairs))
        }
        var jtype: String?
        var with: [String: SpecValue] = [:]
        var dynamicBatching: [String: DynamicBatchingSettings] = [:]
        for pair in pairs {
            guard case .scalar(let key) = pair.key.content else { throw problem("keys must be plain text", at: pair.key.mark) }
            switch key.text {
            case "jtype":
                guard case .scalar(let value) = pair.value.content, case .string(let name) = value.value else {
                    throw problem("`jtype` must be the name of a built-in executor or a Python class", at: pair.value.mark)
                }
                guard BuiltinExecutorCatalog.lookup(name) != nil else {
                    throw problem(
                        "`\(name)` is not a built-in executor", at: pair.value.mark,
                        hint: "built-in executors: \(BuiltinExecutorCatalog.allNames.joined(separator: ", ")); for a Python class, list its modules under `metas: {py_modules: [...]}`")
                }
                jtype = name
            case "with":
                switch SpecValue(pair.value) {
                case .object(let object): with = object
                case .null: with = [:]
                default: throw problem("`with` must be a mapping of the executor's arguments", at: pair.value.mark)
                }
            case "dynamic_batching":
                do {
                    dynamicBatching = try DynamicBatchingSettings.table(SpecValue(pair.value).jsonValue)
                } catch {
                    throw problem("dynamic_batching: \(error.message)", at: pair.value.mark, hint: error.hint)
                }
                if let key = dynamicBatching.first(where: { $0.value.customMetric != nil })?.key {
                    throw problem("dynamic_batching: `custom_metric` of `\(key)` needs a Python function; a built-in executor has none",
                                  at: pair.value.mark)
                }
            case "py_modules", "metas", "requests":
                throw problem(
                    "`\(key.text)` is for Python executors; a built-in executor takes `jtype` and `with` only", at: pair.key.mark,
                    hint: "remove it, or name a Python class in `jtype` with its modules under `metas: {py_modules: [...]}`")
            default:
                throw problem("unknown key `\(key.text)` (an executor YAML here holds `jtype`, `with` and `dynamic_batching`)", at: pair.key.mark)
            }
        }
        guard let jtype else { throw problem("missing `jtype` (the built-in executor to run)", at: root.mark) }
        return ExecutorConfigFile(jtype: jtype, with: with, dynamicBatching: dynamicBatching)
    }

    /// Whether the file lists `py_modules` (under `metas`, or at the top as old Jina files do).
    private static func hasPythonModules(_ pairs: [YAMLPair]) -> Bool {
        for pair in pairs {
            if pair.key.scalar?.text == "py_modules" { return true }
            if pair.key.scalar?.text == "metas", case .mapping(let metas) = pair.value.content,
               metas.contains(where: { $0.key.scalar?.text == "py_modules" }) { return true }
        }
        return false
    }

    /// The module paths the file lists.
    private static func pythonModules(_ pairs: [YAMLPair]) -> [String] {
        var nodes: [YAMLNode] = []
        for pair in pairs {
            if pair.key.scalar?.text == "py_modules" { nodes.append(pair.value) }
            if pair.key.scalar?.text == "metas", case .mapping(let metas) = pair.value.content {
                nodes += metas.filter { $0.key.scalar?.text == "py_modules" }.map(\.value)
            }
        }
        return nodes.flatMap { node -> [String] in
            switch node.content {
            case .scalar(let scalar): [scalar.text]
            case .sequence(let items): items.compactMap { $0.scalar?.text }
            case .mapping: []
            }
        }
    }
}

/// A problem of an executor YAML: at a place in it, or (`file` nil) the file cannot be read.
public struct ExecutorConfigProblem: UserFacingError, Equatable {
    /// The file as the user wrote it (relative to the Flow file's folder); nil: unreadable.
    public var file: String?
    public var mark: Mark?
    public var message: String
    /// The Flow's executor that names the file.
    public var executor: String
    public var hint: String?
    /// The key of the Flow's executor entry the problem is about, when it is not in the file.
    public var flowKey: String

    public init(file: String?, mark: Mark?, message: String, executor: String, hint: String? = nil, flowKey: String = "uses") {
        self.file = file
        self.mark = mark
        self.message = message
        self.executor = executor
        self.hint = hint
        self.flowKey = flowKey
    }

    public var kind: FailureKind { .invalidInput }

    /// `FILE:LINE:COL: error: MESSAGE (executor `NAME`)`, or `executor `NAME`: MESSAGE`.
    public var summary: String {
        guard let file else { return "executor `\(executor)`: \(message)" }
        let place = mark.map { "\(file):\($0.line):\($0.column)" } ?? file
        return "\(place): error: \(message) (executor `\(executor)`)"
    }

    /// The problem as a Flow diagnostic: in the executor YAML when it has a place there, else
    /// at `flowMark` (the Flow's `uses`).
    public func diagnostic(flowMark: Mark?) -> Diagnostic {
        guard let file else { return Diagnostic.error(at: flowMark, summary, hint: hint) }
        var item = Diagnostic.error(at: mark, "\(message) (executor `\(executor)`)", hint: hint)
        item.file = file
        return item
    }
}
