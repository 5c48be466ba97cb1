import Foundation
import GraphQL
import Hummingbird
import JinaCore
import JinaGateway
import NIOCore

/// GraphQL over HTTP at `/graphql`: `POST` with `{"query", "variables", "operationName"}` (or
/// the query itself as an `application/graphql` body), or `GET` with them as query parameters.
/// The answer is `{"data": …, "errors": […]}` with status 200 once the request could be read
/// (GraphQL reports its own errors), 400 when it could not be, 413 over `max_request_bytes`.
enum GraphQLRoute {
    static let path = "/graphql"

    static func response(_ request: Request, backend: GatewayBackend) async -> Response {
        guard let graphQL = GatewayGraphQL.shared else {
            return GatewayResponder.detail("the GraphQL schema could not be built", status: .internalServerError)
        }
        let query: String
        var variables: [String: Map] = [:]
        var operationName: String?
        if request.method == .get {
            let raw = request.uri.query
            guard let text = FormQuery.value("query", in: raw) else {
                return problem("the query parameter `query` is missing")
            }
            query = text
            operationName = FormQuery.value("operationName", in: raw)
            if let text = FormQuery.value("variables", in: raw), !text.isEmpty {
                guard case .object(let members)? = try? JSONValue(parsing: text) else {
                    return problem("`variables` is not a JSON object")
                }
                if QueryNesting.exceeds(.object(members)) { return problem(tooDeep) }
                variables = members.mapValues(DocumentGraphQLTypes.map)
            }
        } else {
            let bytes: [UInt8]
            do {
                bytes = try await RequestBody.bytes(of: request, limit: backend.limits.maxRequestBytes)
            } catch {
                if case .tooLarge = error { return GatewayResponder.detail(error.message, status: .contentTooLarge) }
                return problem(error.message)
            }
            if request.headers[.contentType]?.hasPrefix("application/graphql") == true {
                query = String(decoding: bytes, as: UTF8.self)
            } else {
                guard case .object(let members)? = try? JSONValue(parsing: bytes) else {
                    return problem("the body is not a JSON object with `query`")
                }
                guard let text = members["query"]?.stringValue else { return problem("`query` is missing") }
                query = text
                operationName = members["operationName"]?.stringValue
                switch members["variables"] {
                case .object(let values)?:
                    if QueryNesting.exceeds(.object(values)) { return problem(tooDeep) }
                    variables = values.mapValues(DocumentGraphQLTypes.map)
                case nil, .null?: break
                default: return problem("`variables` is not an object")
                }
            }
        }
        let result = await graphQL.execute(
            query: query, variables: variables, operationName: operationName,
            context: GatewayGraphQL.Context(router: backend.router, limits: backend.limits))
        do {
            // GraphQL's encoder keeps the selection order of fields (Foundation's does not).
            let bytes = try GraphQLJSONEncoder().encode(result)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        } catch {
            return GatewayResponder.detail("the GraphQL answer cannot be encoded: \(error)", status: .internalServerError)
        }
    }

    private static let tooDeep = "`variables` nest more than \(QueryNesting.limit) levels; the gateway refuses them before parsing the query"

    /// A request that could not be read, in GraphQL's error shape.
    private static func problem(_ message: String) -> Response {
        GatewayResponder.json(.object(["errors": .array([.object(["message": .string(message)])])]), status: .badRequest)
    }
}
