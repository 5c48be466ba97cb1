/// A YAML document to write: plain data with mappings in insertion order, so emitted files
/// read in the order they were built (Kubernetes' `apiVersion`, `kind`, `metadata`, `spec`).
public indirect enum YAMLValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case sequence([YAMLValue])
    case mapping(YAMLMapping)

    /// A mapping from key/value pairs in this order (nil values are left out).
    public static func map(_ pairs: KeyValuePairs<String, YAMLValue?>) -> YAMLValue {
        var mapping = YAMLMapping()
        for (key, value) in pairs { mapping[key] = value }
        return .mapping(mapping)
    }

    /// A sequence of strings.
    public static func strings(_ items: [String]) -> YAMLValue { .sequence(items.map(YAMLValue.string)) }

    /// The mapping inside, if this is one.
    public var mappingValue: YAMLMapping? { if case .mapping(let value) = self { value } else { nil } }
}

extension YAMLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: YAMLValue...) { self = .sequence(elements) }
}

/// A YAML mapping with string keys, kept in insertion order; setting a key again replaces its
/// value in place, setting nil removes it.
public struct YAMLMapping: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: YAMLValue
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// A mapping holding `entries` (later duplicates replace earlier ones).
    public init(_ entries: [(String, YAMLValue)]) {
        for (key, value) in entries { self[key] = value }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> YAMLValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: key, value: value))
            case (nil, nil): break
            }
        }
    }
}

extension YAMLValue {
    /// A loaded node as plain data; scalars keep the type they were read with (keys that are
    /// not scalars are left out).
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .int(let number): self = .int(number)
            case .float(let number): self = .double(number)
            case .string(let text): self = .string(text)
            }
        case .sequence(let items):
            self = .sequence(items.map(YAMLValue.init))
        case .mapping(let pairs):
            var mapping = YAMLMapping()
            for pair in pairs {
                guard case .scalar(let scalar) = pair.key.content else { continue }
                mapping[scalar.text] = YAMLValue(pair.value)
            }
            self = .mapping(mapping)
        }
    }
}
