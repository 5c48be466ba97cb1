import JinaCore
@testable import JinaHTTPGateway
import Testing

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("executors' $defs move to components.schemas and their references follow; a clashing name gets a suffix")
    func definitionsAreHoisted() throws {
        var components: [String: JSONValue] = [:]
        let first = try JSONValue(parsing: ##"{"items": {"$ref": "#/$defs/Doc"}, "$defs": {"Doc": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Doc"}}}}}"##)
        let hoisted = OpenAPIDocument.hoistDefinitions(first, into: &components)
        #expect(hoisted == (try JSONValue(parsing: ##"{"items": {"$ref": "#/components/schemas/Doc"}}"##)))
        #expect(components["Doc"] == (try JSONValue(parsing: ##"{"type": "object", "properties": {"child": {"$ref": "#/components/schemas/Doc"}}}"##)))
        // The same definition again is shared; a different one under the same name is renamed.
        _ = OpenAPIDocument.hoistDefinitions(first, into: &components)
        #expect(components.count == 1)
        let other = try JSONValue(parsing: ##"{"$ref": "#/$defs/Doc", "$defs": {"Doc": {"type": "string"}}}"##)
        #expect(OpenAPIDocument.hoistDefinitions(other, into: &components) == .object(["$ref": "#/components/schemas/Doc_2"]))
        #expect(components["Doc_2"] == .object(["type": "string"]))
    }
}
