import Foundation
import JinaYAML

/// A JSON-like value of a Flow spec: what a key held once checked and normalised
/// (e.g. `protocol: http` becomes `["HTTP"]`), or free-form data such as `uses_with`.
public enum SpecValue: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SpecValue])
    case object([String: SpecValue])

    /// The node's data as plain values: scalars as resolved, mappings keyed by key text.
    public init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar): self.init(scalar.value)
        case .sequence(let items): self = .array(items.map(SpecValue.init))
        case .mapping(let pairs):
            var object: [String: SpecValue] = [:]
            for pair in pairs { object[pair.key.keyText] = SpecValue(pair.value) }
            self = .object(object)
        }
    }

    /// The value of one resolved scalar.
    public init(_ scalar: ScalarValue) {
        switch scalar {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .float(let value): self = .double(value)
        case .string(let value): self = .string(value)
        }
    }

    public var intValue: Int? { if case .int(let value) = self { value } else { nil } }
    /// A number: a double, or an integer as a double.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    public var arrayValue: [SpecValue]? { if case .array(let value) = self { value } else { nil } }
    public var objectValue: [String: SpecValue]? { if case .object(let value) = self { value } else { nil } }
    public var isNull: Bool { self == .null }

    /// The same tree as a `JSONValue` (integers stay integers).
    public var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .integer(value)
        case .double(let value): .number(value)
        case .string(let value): .string(value)
        case .array(let items): .array(items.map(\.jsonValue))
        case .object(let members): .object(members.mapValues(\.jsonValue))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Pretty JSON with sorted keys (deterministic, for schemas and golden files).
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A tree of plain values always encodes; non-finite doubles never get here from YAML
        // typing checks, but fall back to `null` rather than trap.
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Compact JSON with sorted keys, for a command-line flag (`--uses-with`).
    public var compactJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Literals, so tables can write defaults as `1`, `"ANY"`, `false`, `[]`.
extension SpecValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: SpecValue...) { self = .array(elements) }
}

extension YAMLNode {
    /// The text of a mapping key as written (`on:` is the key "on", not a boolean), or a short
    /// stand-in for a collection used as a key.
    var keyText: String {
        switch content {
        case .scalar(let scalar): scalar.text
        case .sequence: "[…]"
        case .mapping: "{…}"
        }
    }

    /// The scalar of this node, if it is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    /// How a value is named in a message: `the string "two"`, `the integer 3`, `a list`.
    var kindDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return "null"
            case .bool(let value): return "the boolean \(value)"
            case .int: return "the integer \(scalar.text)"
            case .float: return "the number \(scalar.text)"
            case .string(let value): return "the string \"\(value.shortened)\""
            }
        }
    }
}

extension String {
    /// At most 40 characters, for quoting user text in one-line messages.
    var shortened: String { count <= 40 ? self : String(prefix(37)) + "..." }
}
