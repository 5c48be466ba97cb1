import Foundation
import JinaYAML

/// Finds `${{ … }}` expressions left after environment substitution: `jina flow` has no
/// context variables and no references between settings, so any that remain are errors.
enum ExpressionScanner {
    static func scan(_ node: YAMLNode, skipping: Set<Mark>, isKey: Bool = false, into problems: inout [Diagnostic]) {
        switch node.content {
        case .scalar(let scalar):
            guard !skipping.contains(node.mark), let range = scalar.text.range(of: "${{"),
                  let end = scalar.text[range.upperBound...].range(of: "}}") else { return }
            let expression = String(scalar.text[range.lowerBound..<end.upperBound])
            let inner = expression.dropFirst(3).dropLast(2).trimmingCharacters(in: .whitespaces)
            let hint = isKey
                ? "mapping keys are never substituted; use a fixed key and put the expression in its value"
                : inner.hasPrefix("CONTEXT.") || inner.hasPrefix("context.")
                ? "context variables exist only in Python's `Flow.load_config(context=…)`; use ${{ ENV.NAME }}"
                : "write it as ${{ ENV.NAME }} or ${{ ENV.NAME:-default }}"
            problems.append(.error(
                at: node.mark, "only ${{ ENV.X }} expressions are supported by `jina flow`, got `\(expression.shortened)`",
                hint: hint))
        case .sequence(let items):
            for item in items { scan(item, skipping: skipping, into: &problems) }
        case .mapping(let pairs):
            for pair in pairs {
                scan(pair.key, skipping: skipping, isKey: true, into: &problems)
                scan(pair.value, skipping: skipping, into: &problems)
            }
        }
    }
}
