import JinaYAML
import Testing

/// Loads text that must hold one document.
func load(_ text: String, limits: YAMLLimits = .default) throws -> YAMLNode {
    try #require(try YAMLLoader.load(text, limits: limits))
}

/// The error loading `text` throws; records a test failure when it loads.
func loadError(_ text: String, limits: YAMLLimits = .default, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLError? {
    do {
        _ = try YAMLLoader.load(text, limits: limits)
        Issue.record("expected an error, the text loaded", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

extension YAMLNode {
    /// The value of the first entry whose key's text is `key`.
    subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs.first { $0.key.scalar?.text == key }?.value
    }

    subscript(index: Int) -> YAMLNode? {
        guard case .sequence(let items) = content, items.indices.contains(index) else { return nil }
        return items[index]
    }

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    var value: ScalarValue? { scalar?.value }

    var keys: [String] {
        guard case .mapping(let pairs) = content else { return [] }
        return pairs.compactMap { $0.key.scalar?.text }
    }

    var count: Int {
        switch content {
        case .scalar: 0
        case .sequence(let items): items.count
        case .mapping(let pairs): pairs.count
        }
    }
}

func mark(_ line: Int, _ column: Int) -> Mark { Mark(line: line, column: column) }
