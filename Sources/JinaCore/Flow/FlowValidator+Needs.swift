import JinaYAML

extension FlowValidator {
    /// Default chaining, then every written `needs` entry checked; then cycles.
    ///
    /// An entry without `needs` receives from the previous non-floating executor (the gateway
    /// for the first), as Jina chains them; a floating executor never becomes "the previous".
    mutating func resolveNeeds() {
        let names = drafts.map(\.name)
        let known = Set(names)
        var previous = FlowGraph.gateway
        for position in drafts.indices {
            let draft = drafts[position]
            if let entry = draft.own["needs"], entry.value != nil, entry.value != .null {
                drafts[position].needs = checkNeeds(entry.node, of: draft, known: known, names: names)
            } else {
                drafts[position].needs = [previous]
            }
            if draft.values.bool("floating") != true { previous = draft.name }
        }
        // Executors whose name was refused (e.g. one called `gateway`) stay out of the graph.
        let graphed = drafts.filter(\.nameIsValid)
        var needs: [String: [String]] = [:]
        for draft in graphed where needs[draft.name] == nil { needs[draft.name] = draft.needs }
        let marks = Dictionary(graphed.map { ($0.name, $0.mark) }, uniquingKeysWith: { first, _ in first })
        for cycle in FlowGraph.cycles(nodes: graphed.map(\.name), needs: needs) {
            problems.append(.error(
                at: marks[cycle[0]], "needs form a cycle: " + cycle.joined(separator: " -> "),
                hint: "an executor cannot receive its own output; change one of these `needs`"))
        }
    }

    /// Up to ten names, comma-separated, then `…`.
    static func listing(_ names: [String]) -> String {
        names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
    }

    /// The valid names of one `needs` value (a name or a list), reporting the others.
    private mutating func checkNeeds(_ node: YAMLNode, of draft: ExecutorDraft, known: Set<String>, names: [String]) -> [String] {
        let items: [YAMLNode]
        if case .sequence(let list) = node.content { items = list } else { items = [node] }
        var result: [String] = []
        for item in items {
            guard case .string(let need)? = item.scalar?.value else { continue }  // typed already
            if need == draft.name && draft.nameIsValid {
                problems.append(.error(at: item.mark, "executor `\(need)` needs itself",
                                       hint: "remove `\(need)` from its `needs`"))
            } else if need != FlowGraph.gateway && !known.contains(need) {
                problems.append(.error(
                    at: item.mark, "needs: unknown executor `\(need.shortened)`",
                    hint: DidYouMean.hint(for: need, among: names + [FlowGraph.gateway])
                        ?? "executors of this Flow: " + Self.listing(names) + " (and `gateway`)"))
            } else if result.contains(need) {
                problems.append(.warning(at: item.mark, "needs: `\(need)` is listed twice"))
            } else {
                result.append(need)
            }
        }
        return result
    }
}
