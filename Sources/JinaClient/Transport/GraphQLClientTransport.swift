import AsyncHTTPClient
import Foundation
import JinaCore
import NIOCore
import NIOHTTP1

/// GraphQL (`http(s)://HOST:PORT/graphql`, a gateway with `expose_graphql_endpoint`): each
/// request is the `docs` mutation with the documents as `StrawberryDocumentInput` variables and
/// every document field selected (chunks and matches two levels deep). Fields the GraphQL schema
/// has no place for (docarray v2 fields beyond docarray v1's) are not sent; `__results__` has no
/// place in the answer either. Readiness as over HTTP.
struct GraphQLClientTransport: ClientTransport {
    let http: HTTPClientTransport

    func withConnection<Result: Sendable>(_ body: (any ClientConnection) async throws -> Result) async throws -> Result {
        try await http.withClient { client in try await body(GraphQLConnection(transport: http, client: client)) }
    }

    func check(_ kind: PingKind, timeout: Duration?) async -> String? {
        await http.check(kind, timeout: timeout)
    }
}

/// One `HTTPClient`; each request one `POST /graphql`.
struct GraphQLConnection: ClientConnection {
    let transport: HTTPClientTransport
    let client: HTTPClient

    static let scalarFields = "id parentId granularity adjacency mimeType text uri tags embedding tensor blob weight offset location modality scores { name score { value opName description refId } }"
    static let selection = "\(scalarFields) chunks { \(scalarFields) chunks { \(scalarFields) } matches { \(scalarFields) } } matches { \(scalarFields) chunks { \(scalarFields) } matches { \(scalarFields) } }"
    static let mutation = """
        mutation Docs($data: [StrawberryDocumentInput!], $endpoint: String!, $target: String, $parameters: JSONScalar) {
          docs(data: $data, execEndpoint: $endpoint, targetExecutor: $target, parameters: $parameters) { \(selection) }
        }
        """

    func send(_ request: ClientRequest) async throws(ClientError) -> ClientReply {
        let target = transport.target
        var variables: [String: JSONValue] = [
            "data": .array(request.documents.map { GraphQLDocuments.input($0.json()) }),
            "endpoint": .string(request.endpoint.hasPrefix("/") ? request.endpoint : "/" + request.endpoint),
        ]
        if let executor = request.targetExecutor { variables["target"] = .string(executor) }
        if let parameters = request.parameters { variables["parameters"] = .object(parameters) }
        let (status, bytes) = try await transport.post(
            .object(["query": .string(Self.mutation), "variables": .object(variables)]), to: GatewayTarget.graphQLPath, client: client)
        let reply = try? JSONValue(parsing: Array(buffer: bytes))
        if status == .unauthorized { return try failUnauthenticated(reply, target) }
        if let error = reply?["errors"]?.arrayValue?.first {
            let executor = error["extensions"]?["executor"]?.stringValue
            throw ClientError.requestFailed(
                requestID: error["extensions"]?["request_id"]?.stringValue ?? request.requestID,
                executor: executor.flatMap { $0.isEmpty ? nil : $0 }, message: error["message"]?.stringValue ?? error.serialized())
        }
        guard status == .ok, let docs = reply?["data"]?["docs"]?.arrayValue else {
            throw ClientError(.runtime, "request \(request.requestID): GraphQL answered \(status.code) without documents: \(String(buffer: bytes).prefix(200))",
                              requestID: request.requestID)
        }
        do {
            return ClientReply(requestID: request.requestID, documents: try [Document](json: .array(docs.map(GraphQLDocuments.output))))
        } catch {
            throw ClientError(.runtime, "request \(request.requestID): the reply's documents are malformed: \(error)", requestID: request.requestID)
        }
    }

    private func failUnauthenticated(_ reply: JSONValue?, _ target: GatewayTarget) throws(ClientError) -> ClientReply {
        throw .unauthenticated(target, reply?["detail"]?.stringValue ?? "401")
    }
}

/// Documents between our JSON form and docarray v1's GraphQL shape.
enum GraphQLDocuments {
    /// (our JSON field, GraphQL field) for the scalar fields both have.
    static let renames: [(String, String)] = [
        ("id", "id"), ("parent_id", "parentId"), ("granularity", "granularity"), ("adjacency", "adjacency"),
        ("mime_type", "mimeType"), ("text", "text"), ("url", "uri"), ("tags", "tags"), ("embedding", "embedding"),
        ("tensor", "tensor"), ("weight", "weight"), ("offset", "offset"), ("location", "location"), ("modality", "modality"),
    ]

    /// A document's JSON as a `StrawberryDocumentInput`.
    static func input(_ json: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        var input: [String: JSONValue] = [:]
        for (field, name) in renames { if let value = members[field], value != .null { input[name] = value } }
        if let bytes = (members["bytes_"] ?? members["blob"])?.stringValue {
            input["blob"] = .string(bytes.hasPrefix(DocValue.base64BytesPrefix)
                ? String(bytes.dropFirst(DocValue.base64BytesPrefix.count)) : Data(bytes.utf8).base64EncodedString())
        }
        if case .object(let scores)? = members["scores"] {
            input["scores"] = .array(scores.keys.sorted().map { name in
                var score: [String: JSONValue] = [:]
                switch scores[name]! {
                case .object(let entries):
                    for (field, key) in [("value", "value"), ("op_name", "opName"), ("description", "description"), ("ref_id", "refId")] {
                        if let value = entries[field], value != .null { score[key] = value }
                    }
                case let number: score["value"] = number
                }
                return .object(["name": .string(name), "score": .object(score)])
            })
        }
        for name in ["chunks", "matches"] {
            if case .array(let nested)? = members[name] { input[name] = .array(nested.map(Self.input)) }
        }
        return .object(input)
    }

    /// A `StrawberryDocument` answer as our JSON.
    static func output(_ json: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        var document: [String: JSONValue] = [:]
        for (field, name) in renames { if let value = members[name], value != .null { document[field] = value } }
        if let blob = members["blob"]?.stringValue { document["blob"] = .string(DocValue.base64BytesPrefix + blob) }
        if case .array(let items)? = members["scores"] {
            var scores: [String: JSONValue] = [:]
            for item in items {
                guard let name = item["name"]?.stringValue, case .object(let score)? = item["score"] else { continue }
                var entries: [String: JSONValue] = [:]
                for (key, field) in [("value", "value"), ("opName", "op_name"), ("description", "description"), ("refId", "ref_id")] {
                    if let value = score[key], value != .null { entries[field] = value }
                }
                scores[name] = .object(entries)
            }
            document["scores"] = .object(scores)
        }
        for name in ["chunks", "matches"] {
            if case .array(let nested)? = members[name] { document[name] = .array(nested.map(Self.output)) }
        }
        return .object(document)
    }
}
