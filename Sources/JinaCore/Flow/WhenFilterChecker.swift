import JinaYAML

/// Checks a `when:` document filter against docarray's query language (the one Jina's gateway
/// evaluates): `{field: {$op: value}}`, combined with `$and`/`$or` lists and `$not`.
enum WhenFilterChecker {
    /// Comparison operators on a field, as docarray 0.41 knows them, plus `$ne` (the spelling
    /// Jina's documentation and MongoDB use) as a synonym of `$neq`.
    static let fieldOperators = ["$eq", "$neq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$exists", "$size"]
    /// Operators that combine conditions.
    static let logicalOperators = ["$and", "$or", "$not"]

    /// The filter as data when it is well formed; nil after recording every problem.
    static func check(_ node: YAMLNode, key: String, into problems: inout [Diagnostic]) -> SpecValue? {
        let before = problems.count
        checkConditions(node, key: key, into: &problems)
        return problems.count == before ? SpecValue(node) : nil
    }

    /// A mapping of fields and logical operators, or (under `$and`/`$or`) a list of them.
    private static func checkConditions(_ node: YAMLNode, key: String, into problems: inout [Diagnostic]) {
        switch node.content {
        case .sequence(let items):
            for item in items { checkConditions(item, key: key, into: &problems) }
        case .mapping(let pairs):
            for pair in pairs {
                let name = pair.key.keyText
                if logicalOperators.contains(name) {
                    checkLogical(pair.value, key: key, into: &problems)
                } else if name.hasPrefix("$") {
                    problems.append(unknownOperator(pair.key, key: key))
                } else {
                    checkField(name, pair.value, key: key, into: &problems)
                }
            }
        case .scalar:
            problems.append(.error(at: node.mark, "\(key): expected a condition (a mapping), got \(node.kindDescription)"))
        }
    }

    private static func checkLogical(_ node: YAMLNode, key: String, into problems: inout [Diagnostic]) {
        switch node.content {
        case .sequence(let items) where !items.isEmpty:
            checkConditions(node, key: key, into: &problems)
        case .mapping(let pairs) where !pairs.isEmpty:
            checkConditions(node, key: key, into: &problems)
        case .sequence, .mapping:
            problems.append(.error(at: node.mark, "\(key): the list of conditions is empty",
                                   hint: "give at least one condition, or remove `\(key)`"))
        default:
            problems.append(.error(at: node.mark, "\(key): expected a list of conditions, got \(node.kindDescription)"))
        }
    }

    /// `field: {$op: value, …}`: the value must be a non-empty mapping of operators.
    private static func checkField(_ field: String, _ node: YAMLNode, key: String, into problems: inout [Diagnostic]) {
        guard case .mapping(let pairs) = node.content, !pairs.isEmpty else {
            problems.append(.error(
                at: node.mark, "\(key): field `\(field)` needs a mapping of operators, got \(node.kindDescription)",
                hint: "write it as `\(field): {$eq: …}`"))
            return
        }
        for pair in pairs {
            let name = pair.key.keyText
            if logicalOperators.contains(name) {
                checkLogical(pair.value, key: key, into: &problems)
            } else if fieldOperators.contains(name) {
                checkOperand(name, pair.value, key: key, into: &problems)
            } else {
                problems.append(unknownOperator(pair.key, key: key))
            }
        }
    }

    private static func checkOperand(_ op: String, _ node: YAMLNode, key: String, into problems: inout [Diagnostic]) {
        let expected: String?
        switch (op, node.content) {
        case ("$in", .sequence), ("$nin", .sequence): expected = nil
        case ("$in", _), ("$nin", _): expected = "a list"
        case ("$exists", .scalar(let scalar)): expected = scalar.value.isBool ? nil : "a boolean"
        case ("$regex", .scalar(let scalar)): expected = scalar.value.isString ? nil : "a string"
        case ("$size", .scalar(let scalar)): expected = scalar.value.isInt ? nil : "an integer"
        case (_, .scalar): expected = nil
        default: expected = "a scalar"
        }
        if let expected {
            problems.append(.error(at: node.mark, "\(key): `\(op)` expects \(expected), got \(node.kindDescription)"))
        }
    }

    private static func unknownOperator(_ keyNode: YAMLNode, key: String) -> Diagnostic {
        let name = keyNode.keyText
        let candidates = fieldOperators + logicalOperators
        let hint = DidYouMean.hint(for: name, among: candidates)
            ?? (name.hasPrefix("$") ? nil : DidYouMean.hint(for: "$" + name, among: candidates))
        return .error(at: keyNode.mark, "\(key): unknown operator `\(name)`",
                      hint: hint ?? "operators: " + candidates.joined(separator: " "))
    }
}

extension ScalarValue {
    var isBool: Bool { if case .bool = self { true } else { false } }
    var isString: Bool { if case .string = self { true } else { false } }
    var isInt: Bool { if case .int = self { true } else { false } }
}
