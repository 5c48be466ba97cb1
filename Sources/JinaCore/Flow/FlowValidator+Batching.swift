import JinaYAML

extension FlowValidator {
    /// `uses_dynamic_batching`: each entry's settings are known keys of the right type; a
    /// `custom_metric` (a Python function in Jina) only on Python executors; our
    /// `max_queue_documents` means nothing to Python Jina's worker.
    mutating func checkDynamicBatching() {
        for draft in drafts {
            guard let entry = draft.values["uses_dynamic_batching"], let value = entry.value else { continue }
            let table: [String: DynamicBatchingSettings]
            do {
                table = try DynamicBatchingSettings.table(value.jsonValue)
            } catch {
                let mark = Self.mark(of: error.path, in: entry.node, key: error.atKey)
                problems.append(.error(at: mark, "uses_dynamic_batching: \(error.message)", hint: error.hint))
                continue
            }
            let python = if case .python = draft.uses { true } else { false }
            for key in table.keys.sorted() {
                let settings = table[key]!
                if !python, settings.customMetric != nil || settings.useCustomMetric == true {
                    let field = settings.customMetric != nil ? "custom_metric" : "use_custom_metric"
                    problems.append(.error(
                        at: Self.mark(of: [key, field], in: entry.node, key: true),
                        "uses_dynamic_batching: `\(field)` needs a Python function; executor `\(draft.name)` is not a Python executor",
                        hint: "a Swift executor weighs documents with DynamicBatching(customMetric:) on its endpoint"))
                }
                if python, settings.maxQueueDocuments != nil {
                    problems.append(.warning(
                        at: Self.mark(of: [key, "max_queue_documents"], in: entry.node, key: true),
                        "uses_dynamic_batching: `max_queue_documents` is not known to Python Jina's worker; executor `\(draft.name)` ignores it"))
                }
            }
        }
    }

    /// Where `path` leads inside a mapping tree (as far as it goes): the value of its last key,
    /// or with `key` the last key itself.
    static func mark(of path: [String], in root: YAMLNode, key: Bool = false) -> Mark {
        var node = root
        for (index, name) in path.enumerated() {
            guard case .mapping(let pairs) = node.content,
                  let pair = pairs.first(where: { $0.key.scalar?.text == name }) else { break }
            if key, index == path.count - 1 { return pair.key.mark }
            node = pair.value
        }
        return node.mark
    }
}
