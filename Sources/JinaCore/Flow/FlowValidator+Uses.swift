import Foundation
import JinaYAML

extension FlowValidator {
    /// `uses` forms, built-ins against the catalogue, and a built-in's `uses_with`.
    mutating func resolveUses() {
        for position in drafts.indices {
            let own = drafts[position].own
            guard let entry = own["uses"], let text = entry.value?.stringValue else { continue }
            switch ExecutorUses.classify(text) {
            case .failure(let problem):
                problems.append(.error(at: entry.valueMark, problem.message, hint: problem.hint))
            case .success(.builtin(let name)):
                // The user's own class wins over a built-in of the same name (a Python
                // `TextEncoder` in py_modules stays theirs).
                if BuiltinExecutorCatalog.lookup(name) != nil, pythonModulesDefine(name, in: drafts[position]) {
                    drafts[position].uses = .python(className: name)
                    continue
                }
                guard let builtin = BuiltinExecutorCatalog.lookup(name) else {
                    // Not a built-in: with `py_modules` in effect, a Python class (issue #12).
                    if drafts[position].values.strings("py_modules")?.isEmpty == false {
                        drafts[position].uses = .python(className: name)
                        continue
                    }
                    problems.append(.error(
                        at: entry.valueMark, "uses: unknown executor `\(name)`",
                        hint: DidYouMean.hint(for: name, among: BuiltinExecutorCatalog.allNames)
                            ?? "built-in executors: \(BuiltinExecutorCatalog.all.map(\.name).joined(separator: ", ")); a Python class needs `py_modules`; a program path must contain `/`"))
                    continue
                }
                drafts[position].uses = .builtin(builtin.name)
                if let arguments = own["uses_with"], arguments.value != nil {
                    checkArguments(arguments.node, of: builtin)
                }
                if builtin.name == "VectorIndex" { checkVectorIndex(drafts[position], usesMark: entry.valueMark) }
            case .success(let uses):
                drafts[position].uses = uses
            }
        }
    }

    /// Whether the entry's `py_modules` (read from `directory`) define `class name`.
    func pythonModulesDefine(_ name: String, in draft: ExecutorDraft) -> Bool {
        guard let directory, let modules = draft.values.strings("py_modules"), !modules.isEmpty else { return false }
        var files: [String] = []
        for module in modules {
            let file = FlowPath.resolve(module, in: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { continue }
            files += isDirectory.boolValue ? PythonModuleScan.pythonFiles(under: file) : [file]
        }
        return PythonModuleScan.classNames(in: files).contains(name)
    }

    /// A `VectorIndex` needs its `dim`, and cannot have replicas: each would hold a different
    /// copy of the index (replication does not exist yet); `shards` split it instead.
    private mutating func checkVectorIndex(_ draft: ExecutorDraft, usesMark: Mark) {
        if (draft.own.object("uses_with")?["dim"] ?? .null) == .null {
            problems.append(.error(at: usesMark, "executor `\(draft.name)`: VectorIndex needs `dim`, the length of the embeddings",
                                   hint: "add `uses_with: {dim: 512}` (the size your encoder produces)"))
        }
        if let replicas = draft.values.int("replicas"), replicas > 1 {
            problems.append(.error(
                at: draft.values.valueMark("replicas") ?? usesMark,
                "executor `\(draft.name)`: a VectorIndex cannot have replicas (\(replicas)): each would hold a different copy, and a document indexed through one would not be found through another",
                hint: "use `shards` to split the index over several processes; replication is not available yet"))
        }
    }

    /// Every `uses_with` key must be a parameter of the built-in, with a value of its type.
    private mutating func checkArguments(_ node: YAMLNode, of builtin: BuiltinExecutor) {
        guard case .mapping(let pairs) = node.content else { return }
        let names = builtin.parameters.map(\.name)
        for pair in pairs {
            let key = pair.key.keyText
            guard let parameter = builtin.parameter(key) else {
                let list = names.isEmpty
                    ? "`\(builtin.name)` takes no parameters"
                    : "parameters of `\(builtin.name)`: " + names.joined(separator: ", ")
                problems.append(.error(at: pair.key.mark, "uses_with: `\(builtin.name)` has no parameter `\(key)`",
                                       hint: DidYouMean.hint(for: key, among: names) ?? list))
                continue
            }
            guard pair.value.scalar?.value != .null else { continue }
            _ = ValueChecker.check(pair.value, as: parameter.kind, key: "uses_with.\(key)", into: &problems)
        }
    }

    /// External executors need an address; lists of hosts or ports only make sense for them;
    /// executors in a Flow serve gRPC.
    mutating func checkConnections() {
        for draft in drafts {
            let values = draft.values
            let hosts = values.strings("host") ?? []
            let ports = values.ints("port") ?? []
            if hosts.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(.error(at: values.valueMark("host"), "executor `\(draft.name)`: host must not be empty"))
            }
            if let protocols = values.strings("protocol"), let other = protocols.first(where: { $0 != "GRPC" }) {
                problems.append(.error(
                    at: values.valueMark("protocol"), "executor `\(draft.name)`: executors in a Flow serve gRPC only, got \(other)",
                    hint: "set the client-facing protocols under `gateway:`"))
            }
            guard values.bool("external") == true else {
                for (key, count) in [("host", hosts.count), ("port", ports.count)] where count > 1 {
                    problems.append(.error(
                        at: values.valueMark(key), "executor `\(draft.name)`: a list of \(key)s is only for external executors",
                        hint: "set `external: true` to connect to running replicas, or give one \(key)"))
                }
                continue
            }
            let externalMark = values.valueMark("external")
            let missing = ["host", "port"].filter { !values.has($0) }
            if !missing.isEmpty {
                let keys = missing.map { "`\($0)`" }.joined(separator: " and ")
                problems.append(.error(
                    at: externalMark, "executor `\(draft.name)` is external but sets no \(keys)",
                    hint: "add the running executor's \(keys) (a list = one per replica)"))
            }
            if hosts.count > 1, ports.count > 1, hosts.count != ports.count {
                problems.append(.error(
                    at: values.valueMark("port"), "executor `\(draft.name)`: \(hosts.count) hosts but \(ports.count) ports",
                    hint: "give one port for all hosts, or one port per host"))
            }
            let addresses = max(hosts.count, ports.count)
            if addresses > 1, let replicas = draft.own.int("replicas"), replicas != addresses {
                problems.append(.error(
                    at: draft.own.valueMark("replicas"),
                    "executor `\(draft.name)`: replicas: \(replicas) but \(addresses) addresses are listed",
                    hint: "leave out `replicas`: an external executor has one replica per address"))
            }
        }
    }
}

extension FlowValidator {
    /// `uses_before` / `uses_after`: classified like `uses` (a built-in by the catalogue, a
    /// Python class through the entry's `py_modules`); acted on only for a sharded executor, as
    /// in Jina, so they get a warning on an executor with one shard.
    mutating func resolveHeads() {
        for position in drafts.indices {
            let draft = drafts[position]
            let shards = draft.values.int("shards") ?? 1
            for role in HeadRole.allCases {
                let addressKey = "\(role.rawValue)_address"
                guard let entry = draft.values[role.rawValue] ?? draft.values[addressKey],
                      entry.value != nil, entry.value != .null else { continue }
                if shards <= 1 {
                    problems.append(.warning(
                        at: entry.valueMark,
                        "executor `\(draft.name)`: `\(role.rawValue)` only applies to a sharded executor (shards > 1), as in Jina; it is ignored",
                        hint: "set `shards:` to 2 or more, or run the executor as an ordinary step of the Flow"))
                    continue
                }
                guard let usesEntry = draft.values[role.rawValue], let text = usesEntry.value?.stringValue,
                      draft.values[addressKey] == nil else { continue }
                guard let uses = classifyHead(text, mark: usesEntry.valueMark, draft: draft, key: role.rawValue) else { continue }
                if role == .before { drafts[position].usesBefore = uses } else { drafts[position].usesAfter = uses }
            }
        }
    }

    private mutating func classifyHead(_ text: String, mark: Mark?, draft: ExecutorDraft, key: String) -> ExecutorUses? {
        switch ExecutorUses.classify(text) {
        case .failure(let problem):
            problems.append(.error(at: mark, problem.message.replacingOccurrences(of: "uses:", with: "\(key):"), hint: problem.hint))
            return nil
        case .success(.builtin(let name)):
            if pythonModulesDefine(name, in: draft) { return .python(className: name) }
            if let builtin = BuiltinExecutorCatalog.lookup(name) { return .builtin(builtin.name) }
            if draft.values.strings("py_modules")?.isEmpty == false { return .python(className: name) }
            problems.append(.error(
                at: mark, "\(key): unknown executor `\(name)`",
                hint: DidYouMean.hint(for: name, among: BuiltinExecutorCatalog.allNames)
                    ?? "a built-in executor, a program path (with `/`), an executor YAML, or a Python class with `py_modules`"))
            return nil
        case .success(let uses):
            return uses
        }
    }
}
