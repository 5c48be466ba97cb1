import Foundation
import GraphQL
import JinaCore
import JinaGateway
import JinaProto
import OrderedCollections
import SwiftProtobuf
import Synchronization

/// `/graphql` (`expose_graphql_endpoint: true` on a gateway serving HTTP): the schema Python
/// Jina served with docarray v1 — a `docs` query and a `docs` mutation, both
/// `docs(data: [StrawberryDocumentInput!], targetExecutor: String, parameters: JSONScalar,
/// execEndpoint: String): [StrawberryDocument!]!` (`execEndpoint` defaults to `/search`, as
/// Jina's) — each routing one request
/// through the Flow. An executor's error (or a refused request) is an entry of GraphQL's
/// `errors` whose `extensions` name the executor, the exception and the request id.
final class GatewayGraphQL: Sendable {
    let schema: GraphQLSchema
    /// Parsed and validated queries by their text: clients send the same few queries again and
    /// again, and parsing and validating one costs more than routing the request (0.6 ms of
    /// the gateway's CPU for a small mutation, benchmarks/run.sh graphql).
    private let prepared = Mutex<[String: Prepared]>([:])
    private static let preparedLimit = 512

    private enum Prepared: @unchecked Sendable {
        // The AST is immutable once parsed; GraphQL's types are not marked Sendable.
        case document(GraphQL.Document)
        case invalid([GraphQLError])
    }

    /// What the resolvers route through.
    struct Context: Sendable {
        let router: RequestRouter
        let limits: GatewayLimits
    }

    /// The schema (its types are fixed: they do not depend on the Flow).
    static let shared: GatewayGraphQL? = try? GatewayGraphQL()

    init() throws {
        let types = try DocumentGraphQLTypes()
        let arguments: GraphQLArgumentConfigMap = [
            "data": GraphQLArgument(type: GraphQLList(GraphQLNonNull(types.documentInput))),
            "targetExecutor": GraphQLArgument(type: GraphQLString),
            "parameters": GraphQLArgument(type: types.json),
            // Jina declares `String! = "/search"`; the GraphQL library escapes the `/` of a default
            // twice when it prints one (introspection would say `\/search`), so the default is
            // applied here and the argument is a plain `String`.
            "execEndpoint": GraphQLArgument(type: GraphQLString, description: "The endpoint; default /search"),
        ]
        func docs(_ description: String) -> GraphQLField {
            GraphQLField(
                type: GraphQLNonNull(GraphQLList(GraphQLNonNull(types.document))), description: description,
                args: arguments
            ) { _, args, context, info in
                guard let context = context as? Context else { return [JinaDocument]() }
                return try await Self.route(args, context: context, info: info)
            }
        }
        schema = try GraphQLSchema(
            query: GraphQLObjectType(name: "Query", fields: [
                "docs": docs("Sends the documents to `execEndpoint` through the Flow and returns the result"),
            ]),
            mutation: GraphQLObjectType(name: "Mutation", fields: [
                "docs": docs("Sends the documents to `execEndpoint` through the Flow and returns the result"),
            ]))
        let problems = validateSchema(schema: schema)
        guard problems.isEmpty else { throw problems[0] }
    }


    /// Runs one GraphQL request (`query`, `variables`, `operationName`); the answer is GraphQL's
    /// `{"data": …, "errors": […]}`.
    func execute(query: String, variables: [String: Map], operationName: String?, context: Context) async -> GraphQLResult {
        let document: GraphQL.Document
        switch prepare(query) {
        case .document(let parsed): document = parsed
        case .invalid(let errors): return GraphQLResult(errors: errors)
        }
        do {
            return try await GraphQL.execute(
                schema: schema, documentAST: document, rootValue: (), context: context,
                variableValues: variables, operationName: operationName)
        } catch let error as GraphQLError {
            return GraphQLResult(errors: [error])
        } catch {
            return GraphQLResult(errors: [GraphQLError(message: "\(error)")])
        }
    }

    /// `query` parsed and validated against the schema, from the cache when it was seen before.
    private func prepare(_ query: String) -> Prepared {
        if let known = prepared.withLock({ $0[query] }) { return known }
        if QueryNesting.exceeds(query) {
            return .invalid([GraphQLError(
                message: "the query nests more than \(QueryNesting.limit) levels of braces, brackets or parentheses; the gateway refuses it before parsing")])
        }
        let result: Prepared
        do {
            let document = try parse(source: Source(body: query, name: "GraphQL request"))
            let errors = validate(schema: schema, ast: document)
            result = errors.isEmpty ? .document(document) : .invalid(errors)
        } catch let error as GraphQLError {
            result = .invalid([error])
        } catch {
            result = .invalid([GraphQLError(message: "\(error)")])
        }
        prepared.withLock { cache in
            if cache.count >= Self.preparedLimit { cache.removeAll() }
            cache[query] = result
        }
        return result
    }

    /// The `docs` field: one data request through the Flow.
    private static func route(_ args: Map, context: Context, info: GraphQLResolveInfo) async throws -> [JinaDocument] {
        var head = Jina_DataRequestProtoWoData()
        head.header.requestID = JinaDocument.generateID()
        head.header.execEndpoint = args["execEndpoint"].string ?? "/search"
        if let target = args["targetExecutor"].string { head.header.targetExecutor = target }
        let requestID = head.header.requestID
        func failure(_ message: String, _ extensions: [String: Map]) -> GraphQLError {
            var all = extensions
            all["request_id"] = .string(requestID)
            return GraphQLError(message: message, nodes: info.fieldASTs, path: info.path, extensions: all)
        }
        switch args["parameters"] {
        case .dictionary(let members):
            var parameters: [String: JSONValue] = [:]
            for (key, value) in members { parameters[key] = DocumentGraphQLTypes.jsonValue(value) }
            head.parameters = Google_Protobuf_Struct(json: parameters)
        case .undefined, .null:
            break
        default:
            throw failure("parameters: expected an object", [:])
        }
        var request = LazyDataRequest(head: head)
        do {
            var documents: [JinaDocument] = []
            for (index, input) in (args["data"].array ?? []).enumerated() {
                documents.append(try DocumentGraphQLTypes.documentValue(from: input, path: "data[\(index)]"))
            }
            try request.setDocuments(documents)
        } catch {
            throw failure("DocumentError: \(error.description)", ["exception": "DocumentError"])
        }
        let reply = if let rejected = context.limits.rejection(of: request) { rejected } else { await context.router.route(request) }
        if reply.isError {
            let status = reply.head.header.status
            throw failure(status.description_p, [
                "exception": .string(status.exception.name), "executor": .string(status.exception.executor),
            ])
        }
        do {
            return try reply.documents()
        } catch {
            throw failure("the executors' reply cannot be read: \(error.description)", ["exception": "DocumentError"])
        }
    }
}

/// The `/graphql` schema as text, for `jina export graphql-schema`.
public enum GraphQLSchemaText {
    /// The schema in GraphQL's schema definition language.
    public static func sdl() throws -> String {
        printSchema(schema: try GatewayGraphQL().schema)
    }
}
