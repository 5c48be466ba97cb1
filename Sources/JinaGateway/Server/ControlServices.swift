import GRPCCore
import JinaCore
import JinaProto
import SwiftProtobuf

/// `JinaDiscoverEndpointsRPC/endpoint_discovery`: the union of the executors' endpoints (in
/// Flow order, first seen first), with each endpoint's schema as Jina's gateway reports it:
/// `{input, output, is_generator, is_singleton_doc}` — the executors' `{model, name}` wrappers
/// unwrapped and their `parameters` left out.
struct DiscoveryService: Jina_JinaDiscoverEndpointsRPC.SimpleServiceProtocol {
    let pool: ExecutorPool

    func endpoint_discovery(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Jina_EndpointsProto {
        try await endpoints()
    }

    /// The merged answer (also what the HTTP gateway builds its routes from).
    func endpoints() async throws -> Jina_EndpointsProto {
        var reply = Jina_EndpointsProto()
        var seen = Set<String>()
        var seenWrite = Set<String>()
        for answer in try await pool.discoverEndpoints() {
            for endpoint in answer.endpoints where seen.insert(endpoint).inserted {
                reply.endpoints.append(endpoint)
                if let schema = answer.schemas.fields[endpoint] {
                    reply.schemas.fields[endpoint] = Self.gatewaySchema(schema)
                }
            }
            for endpoint in answer.writeEndpoints where seenWrite.insert(endpoint).inserted {
                reply.writeEndpoints.append(endpoint)
            }
        }
        return reply
    }

    /// An executor's endpoint schema in the gateway's shape.
    static func gatewaySchema(_ schema: Google_Protobuf_Value) -> Google_Protobuf_Value {
        guard case .structValue(let executorSchema)? = schema.kind else { return schema }
        var result = Google_Protobuf_Struct()
        for (key, value) in executorSchema.fields {
            switch key {
            case "input", "output":
                if case .structValue(let wrapper)? = value.kind, let model = wrapper.fields["model"] {
                    result.fields[key] = model
                } else {
                    result.fields[key] = value
                }
            case "parameters":
                continue
            default:
                result.fields[key] = value
            }
        }
        var value = Google_Protobuf_Value()
        value.kind = .structValue(result)
        return value
    }
}

/// `JinaGatewayDryRunRPC/dry_run`: sends an empty request for `_jina_dry_run_` through the
/// whole graph; SUCCESS, or the ERROR status naming the executor that failed.
struct DryRunService: Jina_JinaGatewayDryRunRPC.SimpleServiceProtocol {
    let router: RequestRouter

    func dry_run(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Jina_StatusProto {
        await router.dryRun()
    }
}

extension RequestRouter {
    /// The outcome of a dry run through every executor.
    public func dryRun() async -> Jina_StatusProto {
        var request = Jina_DataRequestProtoWoData()
        request.header.requestID = Document.generateID()
        request.header.execEndpoint = Jina_DataRequestProto.dryRunEndpoint
        let reply = await route(LazyDataRequest(head: request))
        return reply.head.header.status
    }
}

/// `JinaInfoRPC/_status`: versions and environment, as `JinaInfo` describes.
struct InfoService: Jina_JinaInfoRPC.SimpleServiceProtocol {
    let info: Jina_JinaInfoProto

    func _status(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Jina_JinaInfoProto {
        info
    }
}
