/// Replaces `${{ ENV.NAME }}` expressions in a loaded tree with environment variables.
///
/// Forms (`env.` works as `ENV.`; spaces inside the braces are optional):
/// * `${{ ENV.NAME }}` — the variable's value; unset is an error at the scalar's mark.
/// * `${{ ENV.NAME:-default }}` — the default when the variable is unset or empty, as in a
///   shell; the default is the text after `:-`, without surrounding spaces, and may be empty.
///
/// An expression may be the whole scalar or part of one (`pre-${{ ENV.X }}-post`). Only scalar
/// values are substituted, not mapping keys: a key names a setting and should not depend on the
/// environment. After substitution a plain scalar is typed again (`replicas: ${{ ENV.N }}` with
/// `N=2` is `.int(2)`), and so is a quoted scalar that is exactly one expression, as Python Jina
/// does (`port: ['${{ ENV.P }}']` is an integer: quoting is the only way to use a variable inside
/// `[ … ]` or `{ … }`); any other quoted scalar stays a string. Other `${{ … }}` expressions
/// (`CONTEXT.x`, references to other settings, malformed ones) are left exactly as written: what
/// they mean, or whether they are wrong, is for the Flow validator to say.
public enum EnvSubstitution {
    /// The tree with every environment expression replaced, and one error per unset variable
    /// without a default (all of them, in document order). A failed expression is left as written.
    public static func apply(
        to node: YAMLNode, environment: [String: String]
    ) -> (node: YAMLNode, errors: [YAMLError]) {
        var errors: [YAMLError] = []
        let result = substitute(node, environment, &errors)
        return (result, errors)
    }

    /// Whether `text` is exactly one `${{ … }}` expression, of any kind (`${{ ENV.X }}`,
    /// `${{ CONTEXT.y }}`), with nothing before or after it. The JSON Schema and the validator
    /// use it to accept an expression where a typed value is expected.
    public static func isExpression(_ text: String) -> Bool {
        guard text.hasPrefix(open), text.hasSuffix(close), text.utf8.count >= open.utf8.count + close.utf8.count
        else { return false }
        let inner = text.dropFirst(open.count).dropLast(close.count)
        return !inner.contains(open) && !inner.contains(close)
            && !inner.allSatisfy(\.isWhitespace)
    }

    private static let open = "${{"
    private static let close = "}}"

    private static func substitute(
        _ node: YAMLNode, _ environment: [String: String], _ errors: inout [YAMLError]
    ) -> YAMLNode {
        var node = node
        switch node.content {
        case .sequence(let items):
            node.content = .sequence(items.map { substitute($0, environment, &errors) })
        case .mapping(let pairs):
            node.content = .mapping(pairs.map {
                YAMLPair(key: $0.key, value: substitute($0.value, environment, &errors))
            })
        case .scalar(let scalar):
            guard scalar.text.contains(open) else { return node }
            var missing: [String] = []
            let text = expand(scalar.text, environment, missing: &missing)
            for name in missing {
                errors.append(YAMLError(
                    message: "environment variable \(name) is not set", mark: node.mark,
                    hint: "set it, or give a default: ${{ ENV.\(name):-value }}"))
            }
            guard text != scalar.text else { return node }
            // The same typing as the loader: plain text is re-resolved, an explicit tag still
            // applies; a quoted lone expression is typed as Python Jina types it.
            if scalar.style != .plain, node.tag == nil, isExpression(scalar.text) {
                node.content = .scalar(YAMLScalar(text: text, style: scalar.style, value: jinaArgument(text)))
                return node
            }
            guard let value = ScalarResolver.value(text: text, style: scalar.style, tag: node.tag) else {
                errors.append(YAMLError(message: "cannot read \"\(text)\" as \(node.tag ?? "")", mark: node.mark))
                return node
            }
            node.content = .scalar(YAMLScalar(text: text, style: scalar.style, value: value))
        }
        return node
    }

    /// A substituted value as Python Jina's `parse_arg` reads it: an integer, else a number, else
    /// empty → null, `true`/`false` (any case) → a boolean, else the text. (Not YAML's rules: a
    /// quoted `'${{ ENV.KEY }}'` with `KEY=off` stays the string `off`.)
    static func jinaArgument(_ text: String) -> ScalarValue {
        let trimmed = String(text[...].trimmingWhitespace())
        let digits = String(trimmed.filter { $0 != "_" })
        if !trimmed.isEmpty, !trimmed.hasPrefix("_"), !trimmed.hasSuffix("_"), !trimmed.contains("__"),
           let number = Int(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits) {
            return .int(number)
        }
        if !trimmed.isEmpty, !trimmed.lowercased().hasPrefix("0x"), let number = Double(trimmed) {
            return .float(number)
        }
        if text.isEmpty { return .null }
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: return .string(text)
        }
    }

    /// `text` with each environment expression replaced; the names of unset variables without
    /// a default go to `missing` and their expressions stay as written.
    private static func expand(_ text: String, _ environment: [String: String], missing: inout [String]) -> String {
        var result = ""
        var rest = text[...]
        while let start = rest.firstRange(of: open) {
            guard let end = rest[start.upperBound...].firstRange(of: close) else { break }
            let written = rest[start.lowerBound..<end.upperBound]
            result += rest[..<start.lowerBound]
            rest = rest[end.upperBound...]
            guard let expression = EnvExpression(rest: written.dropFirst(open.count).dropLast(close.count)) else {
                result += written
                continue
            }
            if let value = environment[expression.name], !(value.isEmpty && expression.fallback != nil) {
                result += value
            } else if let fallback = expression.fallback {
                result += fallback
            } else {
                missing.append(expression.name)
                result += written
            }
        }
        return result + rest
    }
}

/// The inside of `${{ ENV.NAME }}` or `${{ ENV.NAME:-default }}`.
private struct EnvExpression {
    var name: String
    var fallback: String?

    /// nil unless `inner` is an environment expression (`ENV.` or `env.` and a valid name).
    init?(rest inner: Substring) {
        let trimmed = inner.drop(while: \.isWhitespace)
        guard trimmed.hasPrefix("ENV.") || trimmed.hasPrefix("env.") else { return nil }
        let afterPrefix = trimmed.dropFirst(4)
        let name = afterPrefix.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = name.first, !first.isNumber else { return nil }
        let after = afterPrefix[name.endIndex...].drop(while: \.isWhitespace)
        if after.isEmpty {
            fallback = nil
        } else if after.hasPrefix(":-") {
            fallback = String(after.dropFirst(2).trimmingWhitespace())
        } else {
            return nil
        }
        self.name = String(name)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
