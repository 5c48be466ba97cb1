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

    @Test("definitions that refer to each other are renamed as a group, so a reference never lands on another schema's")
    func groupsAreRenamedTogether() throws {
        var components: [String: JSONValue] = [:]
        let first = try JSONValue(parsing: ##"{"$ref": "#/$defs/Doc", "$defs": {"Doc": {"properties": {"p": {"$ref": "#/$defs/Inner"}}}, "Inner": {"type": "string"}}}"##)
        let second = try JSONValue(parsing: ##"{"$ref": "#/$defs/Doc", "$defs": {"Doc": {"properties": {"p": {"$ref": "#/$defs/Inner"}}}, "Inner": {"type": "integer"}}}"##)
        _ = OpenAPIDocument.hoistDefinitions(first, into: &components)
        #expect(OpenAPIDocument.hoistDefinitions(second, into: &components) == .object(["$ref": "#/components/schemas/Doc_2"]))
        #expect(components["Doc_2"] == (try JSONValue(parsing: ##"{"properties": {"p": {"$ref": "#/components/schemas/Inner_2"}}}"##)))
        #expect(components["Inner_2"] == .object(["type": "integer"]))
        #expect(components["Inner"] == .object(["type": "string"]))
    }

    @Test("only the installed pages and their assets skip the token; our own page lists endpoints, so it does not")
    func publicPaths() {
        let installed = APIDocsPages(folder: "/somewhere")
        #expect(installed.isPublic("/docs") && installed.isPublic("/redoc") && installed.isPublic("/docs/assets/swagger-ui.css"))
        let missing = APIDocsPages(folder: nil)
        #expect(!missing.isPublic("/docs") && !missing.isPublic("/redoc"))
        #expect(!installed.isPublic("/openapi.json"))
    }
}
