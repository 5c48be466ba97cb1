import Foundation
import GraphQL
import JinaCore
@testable import JinaHTTPGateway
import Testing

/// The document types of `/graphql` on their own: output fields resolved from a `Document`
/// (only what is selected), inputs read back into one.
@Suite("GraphQL document types")
struct GraphQLTypesTests {
    static func run(_ query: String, document: JinaCore.Document) async throws -> GraphQLResult {
        let types = try DocumentGraphQLTypes()
        let schema = try GraphQLSchema(query: GraphQLObjectType(name: "Query", fields: [
            "doc": GraphQLField(type: types.document) { _, _, _, _ in document },
        ]))
        return try await graphql(schema: schema, request: query)
    }

    @Test func selectedFieldsOnlyAndAbsentOnesAreNull() async throws {
        var document = JinaCore.Document(id: "a", text: "t", tags: ["k": DocValue(.text("v"))])
        document.scores = ["cos": DocValue(.dict(["value": DocValue(.float(0.5))]))]
        document.matches = [JinaCore.Document(id: "m")]
        let result = try await Self.run(
            "{ doc { id uri mimeType tags scores { name score { value opName refId } } matches { id text } } }", document: document)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let json = try JSONValue(parsing: String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
        #expect(json["data"]?["doc"] == .object([
            "id": "a", "uri": .null, "mimeType": .null, "tags": .object(["k": "v"]),
            "scores": .array([.object(["name": "cos", "score": .object(["value": .number(0.5), "opName": .null, "refId": .null])])]),
            "matches": .array([.object(["id": "m", "text": .null])]),
        ]))
    }

    @Test func inputBecomesADocument() throws {
        let input: Map = .dictionary([
            "id": .string("x"), "uri": .string("https://a/b"), "mimeType": .string("text/plain"),
            "blob": .string(Data([1, 2, 3]).base64EncodedString()),
            "scores": .array([.dictionary(["name": .string("cos"), "score": .dictionary(["value": .number(Number(0.25))])])]),
            "chunks": .array([.dictionary(["text": .string("c")])]),
        ])
        let document = try DocumentGraphQLTypes.documentValue(from: input, path: "data[0]")
        #expect(document.id == "x" && document.url == "https://a/b" && document.bytes == [1, 2, 3])
        #expect(document["mime_type"]?.json() == "text/plain")
        #expect(document.score("cos") == 0.25 && document.chunks?.first?.text == "c")
    }
}

/// The nesting guard in front of the GraphQL parser (a query nested a few thousand levels deep
/// used to overflow the stack and take the gateway down).
@Suite("GraphQL nesting limit")
struct QueryNestingTests {
    @Test func countsBracesBracketsAndParenthesesOutsideStringsAndComments() {
        let deep = "{ docs(data: [{text: \"x\"}]) { " + String(repeating: "matches { ", count: 60) + "id" + String(repeating: " }", count: 60) + " } }"
        #expect(QueryNesting.exceeds(deep))
        let shallow = "{ docs(data: [{text: \"x\"}]) { " + String(repeating: "matches { ", count: 10) + "id" + String(repeating: " }", count: 10) + " } }"
        #expect(!QueryNesting.exceeds(shallow))
        let quoted = "{ docs(data: [{text: \"" + String(repeating: "{", count: 500) + "\"}]) { id } } # " + String(repeating: "[", count: 500)
        #expect(!QueryNesting.exceeds(quoted))
        let block = "{ docs(data: [{text: \"\"\"" + String(repeating: "(", count: 500) + "\\\"\"\" still inside\"\"\"}]) { id } }"
        #expect(!QueryNesting.exceeds(block))
    }

    @Test func variablesToo() {
        var value = JSONValue.integer(1)
        for _ in 0..<60 { value = .object(["a": value]) }
        #expect(QueryNesting.exceeds(.object(["v": value])))
        #expect(!QueryNesting.exceeds(.object(["data": .array([.object(["text": "x"])])])))
    }
}
