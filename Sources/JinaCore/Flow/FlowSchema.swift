/// The JSON Schema (draft-07) of Flow YAML, for editors, generated from the same key tables
/// the validator reads.
///
/// It describes files as written: every scalar also accepts a string that is exactly one
/// `${{ … }}` expression, and an empty value (null) means "not set". Sections reject unknown
/// keys, as the validator does; keys this version refuses are listed with a schema that
/// matches nothing, so editors flag them too.
public enum FlowSchema {
    /// The schema as pretty-printed JSON (sorted keys, deterministic).
    public static func jsonSchema() -> String {
        schema.jsonText()
    }

    /// The schema as data.
    public static var schema: SpecValue {
        let top = FlowKeys.topLevel
        return .object([
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Jina Flow YAML",
            "description": "A Flow: a gateway and a graph of executors (Jina 3.34 Flow YAML, as `jina flow` reads it).",
            "type": "object",
            "properties": .object([
                "jtype": .object(["const": "Flow", "description": .string(top["jtype"]!.doc)]),
                "version": property(top["version"]!),
                "with": nullable(ref("with"), doc: top["with"]!.doc),
                "gateway": nullable(ref("gateway"), doc: top["gateway"]!.doc),
                "executors": nullable(ref("executors"), doc: top["executors"]!.doc),
                "deployments": nullable(ref("executors"), doc: "Another name for `executors`"),
            ]),
            "additionalProperties": false,
            "not": .object(["required": ["executors", "deployments"]]),
            "definitions": .object([
                "expression": .object([
                    "type": "string", "pattern": #"^\$\{\{.*\}\}$"#,
                    "description": "An expression, substituted before the value is checked: ${{ ENV.NAME }} or ${{ ENV.NAME:-default }}",
                ]),
                "with": section(FlowKeys.flowOwn.keys + FlowKeys.withCommon.keys),
                "gateway": section(FlowKeys.gateway.keys),
                "executor": section(FlowKeys.executor.keys),
                "executors": .object(["type": "array", "items": ref("executor")]),
            ]),
        ])
    }

    /// A mapping with exactly these keys (and their aliases).
    static func section(_ keys: [KeySpec]) -> SpecValue {
        var properties: [String: SpecValue] = [:]
        for key in keys {
            properties[key.name] = property(key)
            for alias in key.aliases { properties[alias] = property(key, aliasOf: key.name) }
        }
        return .object(["type": "object", "properties": .object(properties), "additionalProperties": false])
    }

    /// One key: its type (or null), description and default.
    static func property(_ key: KeySpec, aliasOf canonical: String? = nil) -> SpecValue {
        var doc = canonical.map { "Another name for `\($0)`. " } ?? ""
        doc += key.doc
        var schema: [String: SpecValue]
        switch key.support {
        case .rejected(let message, let hint):
            return .object(["description": .string("Not supported: \(message)" + (hint.map { " — \($0)" } ?? "")),
                            "not": .object([:])])
        case .accepted:
            doc += " (accepted; not used by this version)"
            schema = ["anyOf": [kindSchema(key.kind), .object(["type": "null"])]]
        case .used:
            schema = ["anyOf": [kindSchema(key.kind), .object(["type": "null"])]]
        }
        schema["description"] = .string(doc)
        if let value = key.defaultValue { schema["default"] = value }
        return .object(schema)
    }

    /// The schema of one value kind.
    static func kindSchema(_ kind: ValueKind) -> SpecValue {
        switch kind {
        case .bool: return scalar(["type": "boolean"])
        case .int(let min, let max):
            var schema: [String: SpecValue] = ["type": "integer"]
            if let min { schema["minimum"] = .int(min) }
            if let max { schema["maximum"] = .int(max) }
            return scalar(schema)
        case .string: return scalar(["type": "string"])
        case .identifier(let maxLength):
            return scalar(["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "maxLength": .int(maxLength)])
        case .text: return scalar(["type": ["string", "integer", "number"]])
        case .fraction: return scalar(["type": "number", "minimum": 0, "maximum": 1])
        case .oneOf(let words, let caseInsensitive):
            var spellings: [String] = []
            for word in words {
                for spelling in caseInsensitive ? [word, word.lowercased(), word.uppercased()] : [word]
                where !spellings.contains(spelling) {
                    spellings.append(spelling)
                }
            }
            return scalar(["type": "string", "enum": .array(spellings.map(SpecValue.string))])
        case .oneOrMany(let element):
            return .object(["anyOf": [kindSchema(element),
                                      .object(["type": "array", "minItems": 1, "items": kindSchema(element)])]])
        case .list(let element):
            return .object(["type": "array", "items": kindSchema(element)])
        case .map(let element):
            return .object(["type": "object", "additionalProperties": kindSchema(element)])
        case .polling:
            let word = kindSchema(.oneOf(Polling.allCases.map(\.rawValue), caseInsensitive: true))
            return .object(["anyOf": [word, .object(["type": "object", "additionalProperties": word])]])
        case .environment:
            return .object(["type": "object",
                            "additionalProperties": .object(["type": ["string", "number", "integer", "boolean", "null"]])])
        case .filter, .object:
            return .object(["type": "object"])
        case .any:
            return .object([:])
        }
    }

    /// A scalar schema that also takes a `${{ … }}` expression.
    private static func scalar(_ schema: [String: SpecValue]) -> SpecValue {
        .object(["anyOf": [.object(schema), ref("expression")]])
    }

    private static func ref(_ name: String) -> SpecValue {
        .object(["$ref": .string("#/definitions/\(name)")])
    }

    private static func nullable(_ schema: SpecValue, doc: String) -> SpecValue {
        .object(["anyOf": [schema, .object(["type": "null"])], "description": .string(doc)])
    }
}
