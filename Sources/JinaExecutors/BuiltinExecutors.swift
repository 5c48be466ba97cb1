import JinaCore
import JinaRuntime

/// The executors shipped in the `jina` binary, selected by `uses: NAME`. Names, aliases,
/// summaries and parameters live in JinaCore's `BuiltinExecutorCatalog` (the Flow validator
/// checks `uses_with` against it); this maps each catalogue entry to its implementation. A test
/// checks that the two agree both ways.
public enum BuiltinExecutors {
    /// Implementations by canonical catalogue name.
    package static let implementations: [String: ExecutorFactory] = [
        "Identity": ExecutorFactory(Identity.self),
        "TextAppend": ExecutorFactory(TextAppend.self),
        "VectorIndex": ExecutorFactory(VectorIndex.self),
        "OnnxEncoder": ExecutorFactory(OnnxEncoder.self),
        "TextEncoder": ExecutorFactory(TextEncoder.self),
        "ImageEncoder": ExecutorFactory(ImageEncoder.self),
    ]

    /// The factory for `name` or one of its aliases. An unknown name is invalid input, with a
    /// did-you-mean and the list of built-ins.
    package static func factory(named name: String) throws(ExecutorError) -> ExecutorFactory {
        guard let entry = BuiltinExecutorCatalog.lookup(name), let factory = implementations[entry.name] else {
            var hint = "built-in executors: " + BuiltinExecutorCatalog.all.map(\.name).joined(separator: ", ")
                + " (see `jina executor --list`)"
            if let guess = DidYouMean.suggestion(for: name, among: BuiltinExecutorCatalog.allNames) {
                hint = "did you mean `\(guess)`? " + hint
            }
            throw ExecutorError(.invalidInput, "unknown executor \(name)", hint: hint)
        }
        return factory
    }

    /// `jina executor --list`: each built-in with its aliases, summary and parameters.
    public static func listing() -> String {
        var lines: [String] = []
        for entry in BuiltinExecutorCatalog.all {
            var title = entry.name
            if !entry.aliases.isEmpty { title += " (alias: \(entry.aliases.joined(separator: ", ")))" }
            lines.append(title)
            lines.append("  \(entry.summary)")
            for parameter in entry.parameters {
                let type = parameter.choices.map { "one of " + $0.joined(separator: ", ") } ?? parameter.type.rawValue
                lines.append("  uses_with.\(parameter.name): \(type) = \(parameter.defaultValue.listingText) — \(parameter.doc)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension SpecValue {
    /// The value as it would be written in `uses_with` JSON.
    fileprivate var listingText: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): JSONValue.string(value).serialized()
        case .array(let values): "[" + values.map(\.listingText).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\(JSONValue.string($0.key).serialized()): \($0.value.listingText)" }
                .joined(separator: ", ") + "}"
        }
    }
}
