/// One node of a loaded YAML document, with the position it started at.
///
/// Mappings keep their keys in file order; duplicate keys are rejected by the loader, so a
/// mapping never holds the same key twice.
public struct YAMLNode: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the node starts (for a scalar: its first character, quotes included).
    public var mark: Mark
    /// An explicit tag written in the file (`!Flow`, `!!str`), or nil for none.
    public var tag: String?

    public init(_ content: Content, mark: Mark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }
}

/// A key/value entry of a mapping node.
public struct YAMLPair: Sendable, Equatable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// How a scalar was written; only `plain` scalars are typed by YAML 1.1 resolution.
public enum ScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text as written (after YAML unescaping) and its resolved value.
public struct YAMLScalar: Sendable, Equatable {
    public var text: String
    public var style: ScalarStyle
    /// The YAML 1.1 typed value (as PyYAML resolves it) for plain scalars; `.string(text)` for
    /// quoted and block scalars or where an explicit `!!str` tag says so.
    public var value: ScalarValue

    public init(text: String, style: ScalarStyle, value: ScalarValue) {
        self.text = text
        self.style = style
        self.value = value
    }
}

/// A typed scalar value.
public enum ScalarValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
}
