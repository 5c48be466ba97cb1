import JinaYAML

extension FlowValidator {
    /// Checks every entry of `executors:` and keeps a draft per mapping entry.
    mutating func readExecutors(_ node: YAMLNode?) {
        guard let node, node.scalar?.value != .null else { return }
        guard case .sequence(let items) = node.content else {
            problems.append(.error(at: node.mark, "executors: expected a list of executors, got \(node.kindDescription)",
                                   hint: "write each executor as a list item: `- name: …`"))
            return
        }
        let reader = SectionReader(table: FlowKeys.executor, noun: "executor key", elsewhere: Self.executorAdvice)
        for (index, item) in items.enumerated() {
            guard case .mapping = item.content else {
                problems.append(.error(
                    at: item.mark, "executors: each entry must be a mapping, got \(item.kindDescription)",
                    hint: "write the executor's keys in the entry, e.g. `- name: a` and `uses: Identity`"))
                continue
            }
            let own = reader.read(item, section: "executor", into: &problems)
            let values = own.inheriting(from: common, where: FlowKeys.executorsInherit)
            drafts.append(ExecutorDraft(index: index, node: item, own: own, values: values, name: "executor\(index)"))
        }
    }

    /// Names: explicit or `executor<N>`; valid identifiers, usable in Kubernetes, unique.
    mutating func resolveNames() {
        for position in drafts.indices {
            guard let entry = drafts[position].own["name"] else { continue }
            guard let name = entry.value?.stringValue else {
                drafts[position].nameIsValid = entry.value == .null
                continue
            }
            drafts[position].name = name
            drafts[position].nameMark = entry.valueMark
            if let problem = Self.nameProblem(name, at: entry.valueMark) {
                problems.append(problem)
                drafts[position].nameIsValid = false
            }
        }
        var seen: [String: ExecutorDraft] = [:]
        var seenKubernetes: [String: ExecutorDraft] = [:]
        for draft in drafts where draft.nameIsValid {
            let mark = draft.nameMark ?? draft.mark
            if let first = seen[draft.name] {
                problems.append(.error(at: mark, "duplicate executor name `\(draft.name)` (first at line \(first.nameMark?.line ?? first.mark.line))",
                                       hint: draft.nameMark == nil
                                           ? "an entry without `name` is called executor<N> (N = its 0-based position)"
                                           : "executor names must be unique"))
                continue
            }
            seen[draft.name] = draft
            let kubernetes = ExecutorSpec.kubernetesName(draft.name)
            if let first = seenKubernetes[kubernetes] {
                problems.append(.error(
                    at: mark, "executor names `\(first.name)` and `\(draft.name)` are the same in Kubernetes (`\(kubernetes)`)",
                    hint: "Kubernetes and compose names are lower-cased and `_` becomes `-`; choose names that differ there"))
            }
            seenKubernetes[kubernetes] = draft
        }
    }

    /// Why `name` cannot name an executor, if it cannot.
    static func nameProblem(_ name: String, at mark: Mark) -> Diagnostic? {
        if !ExecutorUses.isIdentifier(name) {
            return .error(at: mark, "invalid executor name `\(name.shortened)`",
                          hint: "names must match [A-Za-z_][A-Za-z0-9_]*")
        }
        if name.lowercased() == FlowGraph.gateway {
            return .error(at: mark, "the executor name `\(name)` is reserved for the gateway",
                          hint: "choose another name")
        }
        if name.count > maxNameLength {
            return .error(at: mark, "executor name `\(name.shortened)` is longer than \(maxNameLength) characters",
                          hint: "Kubernetes object names add suffixes to it and must fit in 63 characters")
        }
        if name.hasPrefix("_") || name.hasSuffix("_") {
            return .error(at: mark, "executor name `\(name)` cannot start or end with `_`",
                          hint: "in Kubernetes names `_` becomes `-`, which cannot start or end a name")
        }
        return nil
    }

    /// Longest executor name, so that Kubernetes suffixes fit in 63 characters.
    static let maxNameLength = 40

    static func executorAdvice(_ key: String) -> String? {
        if FlowKeys.gateway[key] != nil { return "`\(key)` is a gateway key: put it under `gateway:`" }
        if FlowKeys.flowOwn[key] != nil { return "`\(key)` is a Flow key: put it under `with:`" }
        return nil
    }
}
