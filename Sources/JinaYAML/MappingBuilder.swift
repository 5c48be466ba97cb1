/// Turns the entries of a mapping as written into the entries it means, as PyYAML reads them:
/// `<<` merge keys pull in the entries of other mappings (usually aliases), explicit keys win
/// over merged ones, and among merged mappings the earlier wins.
///
/// Unlike PyYAML, which silently keeps the last of two equal keys, a key written twice in one
/// mapping is an error: in a Flow it is almost always a mistake (two `executors:` lists).
/// Keys compare as Python compares them, so `yes` and `true`, or `1` and `1.0`, are equal,
/// while `1` and `"1"` are not.
enum MappingBuilder {
    static func entries(_ written: [YAMLPair]) throws(YAMLError) -> [YAMLPair] {
        var merged: [YAMLPair] = []
        var explicit: [YAMLPair] = []
        var firstMarks: [KeyIdentity: Mark] = [:]
        for pair in written {
            if isMergeKey(pair.key) {
                merged += try mergedEntries(pair.value)
                continue
            }
            let identity = try KeyIdentity(pair.key)
            if let identity {
                if let first = firstMarks[identity] {
                    throw YAMLError(
                        message: "duplicate key \"\(describe(pair.key))\" (first defined on line \(first.line))",
                        mark: pair.key.mark,
                        hint: "a key may appear only once in a mapping: remove or rename one of them")
                }
                firstMarks[identity] = pair.key.mark
            }
            explicit.append(pair)
        }
        guard !merged.isEmpty else { return explicit }
        // Python dict semantics over merged + explicit entries: the first position, the last entry.
        var result: [YAMLPair] = []
        var positions: [KeyIdentity: Int] = [:]
        for pair in merged + explicit {
            guard let identity = try KeyIdentity(pair.key) else {
                result.append(pair)
                continue
            }
            if let position = positions[identity] {
                result[position] = pair
            } else {
                positions[identity] = result.count
                result.append(pair)
            }
        }
        return result
    }

    /// A plain, untagged `<<` is YAML 1.1's merge key; quoted, it is an ordinary string.
    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = key.content else { return false }
        return scalar.style == .plain && key.tag == nil && scalar.text == "<<"
    }

    /// The entries a merge value contributes, in the order that makes "last wins" give PyYAML's
    /// result: for a list of mappings, the later mappings come first.
    private static func mergedEntries(_ value: YAMLNode) throws(YAMLError) -> [YAMLPair] {
        switch value.content {
        case .mapping(let pairs):
            return pairs
        case .sequence(let items):
            var result: [YAMLPair] = []
            for item in items.reversed() {
                guard case .mapping(let pairs) = item.content else { throw notMergeable(item) }
                result += pairs
            }
            return result
        case .scalar:
            throw notMergeable(value)
        }
    }

    private static func notMergeable(_ node: YAMLNode) -> YAMLError {
        YAMLError(
            message: "a merge key (<<) needs a mapping or a list of mappings",
            mark: node.mark,
            hint: "write `<<: *name` where &name anchors a mapping")
    }

    private static func describe(_ key: YAMLNode) -> String {
        guard case .scalar(let scalar) = key.content else { return "" }
        return scalar.text
    }
}

/// A mapping key as Python's dict would compare it: `true == 1 == 1.0`, strings by code points.
/// nil for keys no other key equals (NaN).
enum KeyIdentity: Hashable {
    case null
    case int(Int)
    case float(Double)
    case string([UInt8])

    init?(_ key: YAMLNode) throws(YAMLError) {
        guard case .scalar(let scalar) = key.content else {
            let kind = if case .sequence = key.content { "a list" } else { "a mapping" }
            throw YAMLError(
                message: "a mapping key must be a scalar, not \(kind)", mark: key.mark,
                hint: "use a plain text key")
        }
        switch scalar.value {
        case .null: self = .null
        case .bool(let bool): self = .int(bool ? 1 : 0)
        case .int(let int): self = .int(int)
        case .float(let float) where float.isNaN: return nil
        case .float(let float):
            if let exact = Int(exactly: float) { self = .int(exact) } else { self = .float(float) }
        case .string(let string): self = .string(Array(string.utf8))
        }
    }
}
