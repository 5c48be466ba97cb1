import CLibYAML

/// Converts a document loaded by libyaml into `YAMLNode`s.
///
/// libyaml resolves an alias by pointing at the anchored node again, so the document is a graph
/// that may be cyclic (`&x [*x]`) or exponentially large once expanded ("billion laughs").
/// Aliases are expanded like PyYAML does; an anchored node is converted once and reused, its
/// expanded size counted at every use, so hostile input fails fast on `YAMLLimits`, and a cycle
/// is an error. An expanded copy keeps the marks of the anchored original.
struct DocumentConverter {
    private let document: UnsafeMutablePointer<yaml_document_t>
    private let source: SourceText
    private let limits: YAMLLimits
    /// How many collections refer to each node (by libyaml index − 1): more than one means aliased.
    private let referenceCounts: [Int]
    private var converted: [Int32: Converted] = [:]
    private var inProgress: Set<Int32> = []
    private var nodeCount = 0

    private struct Converted {
        var node: YAMLNode
        /// Nodes in the expanded subtree, itself included.
        var size: Int
        /// Collection levels in the subtree: 0 for a scalar.
        var height: Int
    }

    init(document: UnsafeMutablePointer<yaml_document_t>, source: SourceText, limits: YAMLLimits) {
        self.document = document
        self.source = source
        self.limits = limits
        var counts = [Int](repeating: 0, count: document.pointee.nodes.top - document.pointee.nodes.start)
        var node = document.pointee.nodes.start!
        while node != document.pointee.nodes.top {
            switch node.pointee.type {
            case YAML_SEQUENCE_NODE:
                var item = node.pointee.data.sequence.items.start!
                while item != node.pointee.data.sequence.items.top {
                    counts[Int(item.pointee) - 1] += 1
                    item += 1
                }
            case YAML_MAPPING_NODE:
                var pair = node.pointee.data.mapping.pairs.start!
                while pair != node.pointee.data.mapping.pairs.top {
                    counts[Int(pair.pointee.key) - 1] += 1
                    counts[Int(pair.pointee.value) - 1] += 1
                    pair += 1
                }
            default:
                break
            }
            node += 1
        }
        referenceCounts = counts
    }

    /// The root node (libyaml's node 1); call only when the document has one.
    mutating func convertRoot() throws(YAMLError) -> YAMLNode {
        try convert(1, depth: 1).node
    }

    /// `depth` is the level a collection at this position would have; the root is level 1.
    private mutating func convert(_ index: Int32, depth: Int) throws(YAMLError) -> Converted {
        let node = yaml_document_get_node(document, index)!.pointee
        let mark = source.mark(line: node.start_mark.line, scalarColumn: node.start_mark.column)
        if let reused = converted[index] {
            guard depth + reused.height - 1 <= limits.maxDepth else { throw tooDeep(mark) }
            nodeCount += reused.size
            guard nodeCount <= limits.maxNodes else { throw tooLarge(mark, byAliases: true) }
            return reused
        }
        if inProgress.contains(index) {
            throw YAMLError(
                message: "cyclic alias: the node anchored here contains an alias to itself", mark: mark,
                hint: "an alias (*name) cannot be used inside the node that its anchor (&name) marks")
        }
        nodeCount += 1
        guard nodeCount <= limits.maxNodes else { throw tooLarge(mark, byAliases: false) }

        var result: Converted
        switch node.type {
        case YAML_SEQUENCE_NODE, YAML_MAPPING_NODE:
            guard depth <= limits.maxDepth else { throw tooDeep(mark) }
            inProgress.insert(index)
            result = try collection(node, mark: mark, depth: depth)
            inProgress.remove(index)
        default:
            result = Converted(node: try scalar(node, mark: mark), size: 1, height: 0)
        }
        if referenceCounts[Int(index) - 1] > 1 { converted[index] = result }
        return result
    }

    private mutating func collection(_ node: yaml_node_t, mark: Mark, depth: Int) throws(YAMLError) -> Converted {
        var size = 1
        var height = 0
        func add(_ child: Converted) {
            size += child.size
            height = max(height, child.height)
        }
        let tag: String?
        let content: YAMLNode.Content
        if node.type == YAML_SEQUENCE_NODE {
            tag = Self.displayTag(node.tag, unless: "tag:yaml.org,2002:seq")
            var items: [YAMLNode] = []
            var item = node.data.sequence.items.start!
            while item != node.data.sequence.items.top {
                let child = try convert(item.pointee, depth: depth + 1)
                add(child)
                items.append(child.node)
                item += 1
            }
            content = .sequence(items)
        } else {
            tag = Self.displayTag(node.tag, unless: "tag:yaml.org,2002:map")
            var pairs: [YAMLPair] = []
            var pair = node.data.mapping.pairs.start!
            while pair != node.data.mapping.pairs.top {
                let key = try convert(pair.pointee.key, depth: depth + 1)
                let value = try convert(pair.pointee.value, depth: depth + 1)
                add(key)
                add(value)
                pairs.append(YAMLPair(key: key.node, value: value.node))
                pair += 1
            }
            content = .mapping(try MappingBuilder.entries(pairs))
        }
        return Converted(node: YAMLNode(content, mark: mark, tag: tag), size: size, height: height + 1)
    }

    private func scalar(_ node: yaml_node_t, mark: Mark) throws(YAMLError) -> YAMLNode {
        let data = node.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        let style: ScalarStyle = switch data.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
        // libyaml tags every untagged scalar `!!str`; only the text shows whether it was written.
        let written = source.hasTag(line: node.start_mark.line, scalarColumn: node.start_mark.column)
        let tag = Self.displayTag(node.tag, unless: written ? nil : "tag:yaml.org,2002:str")
        let value: ScalarValue
        if let typed = ScalarResolver.value(text: text, style: style, tag: tag) {
            value = typed
        } else if text.contains("${{") {
            // `!!int ${{ ENV.N }}`: the tag applies to the text after substitution, which types it again.
            value = .string(text)
        } else {
            throw YAMLError(message: "cannot read \"\(text)\" as \(tag ?? "")", mark: mark)
        }
        return YAMLNode(.scalar(YAMLScalar(text: text, style: style, value: value)), mark: mark, tag: tag)
    }

    /// nil for libyaml's default tag; core tags shortened to how they are written (`!!int`).
    private static func displayTag(_ raw: UnsafeMutablePointer<yaml_char_t>?, unless defaultTag: String?) -> String? {
        guard let raw else { return nil }
        let tag = String(cString: raw)
        if tag == defaultTag { return nil }
        let core = "tag:yaml.org,2002:"
        return tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
    }

    private func tooDeep(_ mark: Mark) -> YAMLError {
        YAMLError(message: "nesting is deeper than \(limits.maxDepth) levels", mark: mark)
    }

    private func tooLarge(_ mark: Mark, byAliases: Bool) -> YAMLError {
        byAliases
            ? YAMLError(
                message: "aliases expand to more than \(limits.maxNodes) nodes", mark: mark,
                hint: "each use of an alias (*name) copies the whole anchored node; use fewer")
            : YAMLError(message: "the document has more than \(limits.maxNodes) nodes", mark: mark)
    }
}
