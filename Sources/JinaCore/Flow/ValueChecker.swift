import JinaYAML

/// Checks one YAML value against a `ValueKind` and returns it normalised (enum words in their
/// canonical spelling, one-or-many values as lists), or nil after recording why it does not fit.
///
/// Problems are reported at the offending value; `key` names the value in messages
/// (`replicas`, `env.PATH`, `port`).
enum ValueChecker {
    static func check(
        _ node: YAMLNode, as kind: ValueKind, key: String, into problems: inout [Diagnostic]
    ) -> SpecValue? {
        switch kind {
        case .bool:
            if case .bool(let value)? = node.scalar?.value { return .bool(value) }
        case .int(let min, let max):
            guard case .int(let value)? = node.scalar?.value else {
                if let scalar = node.scalar, scalar.style != .plain, case .string(let text) = scalar.value, Int(text) != nil {
                    problems.append(.error(at: node.mark, mismatch(kind, node, key),
                                           hint: "remove the quotes to make it a number"))
                    return nil
                }
                break
            }
            return checkRange(value, min: min, max: max, node: node, key: key, into: &problems)
        case .string, .identifier:
            if case .string(let value)? = node.scalar?.value { return .string(value) }
            if let scalar = node.scalar, scalar.value != .null {
                problems.append(.error(at: node.mark, mismatch(kind, node, key),
                                       hint: "quote it to make it a string: \"\(scalar.text)\""))
                return nil
            }
        case .text:
            switch node.scalar?.value {
            case .string(let value)?: return .string(value)
            case .int?, .float?: return .string(node.scalar!.text)
            default: break
            }
        case .fraction:
            let number: Double? = switch node.scalar?.value {
            case .int(let value)?: Double(value)
            case .float(let value)?: value
            default: nil
            }
            guard let number else { break }
            guard (0...1).contains(number) else {
                problems.append(.error(at: node.mark, "\(key): \(node.scalar!.text) is outside 0-1",
                                       hint: "0.01 keeps one request in a hundred, 1 keeps all"))
                return nil
            }
            return .double(number)
        case .oneOf(let words, let caseInsensitive):
            return checkWord(node, words: words, caseInsensitive: caseInsensitive, kind: kind, key: key,
                             into: &problems)
        case .oneOrMany(let element):
            if case .sequence(let items) = node.content {
                return checkList(items, element: element, node: node, key: key, into: &problems)
            }
            return check(node, as: element, key: key, into: &problems).map { .array([$0]) }
        case .list(let element):
            guard case .sequence(let items) = node.content else { break }
            return checkList(items, element: element, node: node, key: key, into: &problems)
        case .map(let element):
            guard case .mapping(let pairs) = node.content else { break }
            return checkMap(pairs, key: key, into: &problems) { value, path, problems in
                check(value, as: element, key: path, into: &problems)
            }
        case .polling:
            return checkPolling(node, key: key, into: &problems)
        case .filter:
            guard case .mapping = node.content else { break }
            return WhenFilterChecker.check(node, key: key, into: &problems)
        case .environment:
            guard case .mapping(let pairs) = node.content else { break }
            return checkMap(pairs, key: key, into: &problems) { value, path, problems in
                guard let scalar = value.scalar else {
                    problems.append(.error(at: value.mark, "\(path): expected a scalar value, got \(value.kindDescription)"))
                    return nil
                }
                return .string(environmentText(scalar))
            }
        case .object:
            guard case .mapping = node.content else { break }
            return SpecValue(node)
        case .any:
            return SpecValue(node)
        }
        problems.append(.error(at: node.mark, mismatch(kind, node, key)))
        return nil
    }

    /// `replicas: expected an integer, got the string "two"`.
    static func mismatch(_ kind: ValueKind, _ node: YAMLNode, _ key: String) -> String {
        "\(key): expected \(kind.expectation), got \(node.kindDescription)"
    }

    private static func checkRange(
        _ value: Int, min: Int?, max: Int?, node: YAMLNode, key: String, into problems: inout [Diagnostic]
    ) -> SpecValue? {
        if let min, value < min {
            let bound = max.map { "must be from \(min) to \($0)" } ?? "must be at least \(min)"
            problems.append(.error(at: node.mark, "\(key): \(bound), got \(value)"))
            return nil
        }
        if let max, value > max {
            let bound = min.map { "must be from \($0) to \(max)" } ?? "must be at most \(max)"
            problems.append(.error(at: node.mark, "\(key): \(bound), got \(value)"))
            return nil
        }
        return .int(value)
    }

    private static func checkWord(
        _ node: YAMLNode, words: [String], caseInsensitive: Bool, kind: ValueKind, key: String,
        into problems: inout [Diagnostic]
    ) -> SpecValue? {
        if case .string(let text)? = node.scalar?.value {
            let match = words.first { caseInsensitive ? $0.lowercased() == text.lowercased() : $0 == text }
            if let match { return .string(match) }
            problems.append(.error(at: node.mark, mismatch(kind, node, key),
                                   hint: DidYouMean.hint(for: text, among: words)))
            return nil
        }
        problems.append(.error(at: node.mark, mismatch(kind, node, key)))
        return nil
    }

    private static func checkList(
        _ items: [YAMLNode], element: ValueKind, node: YAMLNode, key: String, into problems: inout [Diagnostic]
    ) -> SpecValue? {
        if items.isEmpty {
            problems.append(.error(at: node.mark, "\(key): expected \(element.expectation) or a non-empty list, got an empty list"))
            return nil
        }
        var values: [SpecValue] = []
        var valid = true
        for item in items {
            if let value = check(item, as: element, key: key, into: &problems) { values.append(value) } else { valid = false }
        }
        return valid ? .array(values) : nil
    }

    private static func checkMap(
        _ pairs: [YAMLPair], key: String, into problems: inout [Diagnostic],
        _ checkValue: (YAMLNode, String, inout [Diagnostic]) -> SpecValue?
    ) -> SpecValue? {
        var object: [String: SpecValue] = [:]
        var valid = true
        for pair in pairs {
            guard pair.key.scalar != nil else {
                problems.append(.error(at: pair.key.mark, "\(key): keys must be strings, got \(pair.key.kindDescription)"))
                valid = false
                continue
            }
            let name = pair.key.keyText
            if let value = checkValue(pair.value, "\(key).\(name)", &problems) { object[name] = value } else { valid = false }
        }
        return valid ? .object(object) : nil
    }

    private static func checkPolling(_ node: YAMLNode, key: String, into problems: inout [Diagnostic]) -> SpecValue? {
        let word = ValueKind.oneOf(Polling.allCases.map(\.rawValue), caseInsensitive: true)
        guard case .mapping(let pairs) = node.content else {
            return check(node, as: word, key: key, into: &problems)
        }
        return checkMap(pairs, key: key, into: &problems) { value, path, problems in
            check(value, as: word, key: path, into: &problems)
        }
    }

    /// An environment value as the process sees it: Python's `str()` of the YAML value.
    private static func environmentText(_ scalar: YAMLScalar) -> String {
        switch scalar.value {
        case .null: ""
        case .bool(let value): value ? "True" : "False"
        case .string(let value): value
        case .int, .float: scalar.text
        }
    }
}
