import Foundation
import JinaCore
import Testing

/// `FlowSchema.jsonSchema()` is JSON, draft-07, and lists exactly the keys of the tables.
@Suite struct SchemaTests {
    private func schema() throws -> [String: Any] {
        let text = FlowSchema.jsonSchema()
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func properties(_ schema: [String: Any], _ definition: String) throws -> [String: Any] {
        let definitions = try #require(schema["definitions"] as? [String: Any])
        let section = try #require(definitions[definition] as? [String: Any])
        #expect(section["additionalProperties"] as? Bool == false, "\(definition) rejects unknown keys")
        return try #require(section["properties"] as? [String: Any])
    }

    @Test func isDraft07JSON() throws {
        let schema = try schema()
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(schema["additionalProperties"] as? Bool == false)
        let top = try #require(schema["properties"] as? [String: Any])
        #expect(Set(top.keys) == Set(FlowKeys.topLevel.keys.flatMap { [$0.name] + $0.aliases }))
        #expect((top["jtype"] as? [String: Any])?["const"] as? String == "Flow")
    }

    @Test func listsEveryKeyOfEveryTable() throws {
        let schema = try schema()
        let sections: [(String, [KeySpec])] = [
            ("executor", FlowKeys.executor.keys),
            ("gateway", FlowKeys.gateway.keys),
            ("with", FlowKeys.flowOwn.keys + FlowKeys.withCommon.keys),
        ]
        for (definition, keys) in sections {
            let listed = try properties(schema, definition)
            let expected = Set(keys.flatMap { [$0.name] + $0.aliases })
            #expect(Set(listed.keys) == expected, "\(definition)")
        }
    }

    @Test func scalarsAcceptExpressions() throws {
        let executor = try properties(try schema(), "executor")
        let replicas = try #require(executor["replicas"] as? [String: Any])
        #expect(replicas["default"] as? Int == 1)
        let text = FlowSchema.jsonSchema()
        #expect(text.contains(#""pattern" : "^\\$\\{\\{.*\\}\\}$""#))
        #expect(text.contains(##""$ref" : "#/definitions/expression""##))
    }

    @Test func refusedKeysMatchNothing() throws {
        let executor = try properties(try schema(), "executor")
        let certificate = try #require(executor["ssl_certfile"] as? [String: Any])
        #expect(certificate["not"] != nil)
    }

    @Test func schemaIsDeterministic() {
        #expect(FlowSchema.jsonSchema() == FlowSchema.jsonSchema())
    }
}
