import GRPCCore
import JinaCore
import JinaProto
import SwiftProtobuf

/// `JinaDiscoverEndpointsRPC/endpoint_discovery`: the executor's endpoints in declaration order
/// (the catch-all as `/default`), then `_jina_dry_run_`, each with the schema Python Jina
/// reports for an untyped handler (`is_generator: true` for a streaming one); no write endpoints.
struct DiscoveryService: Jina_JinaDiscoverEndpointsRPC.SimpleServiceProtocol {
    let endpoints: Jina_EndpointsProto

    init(runtime: ExecutorRuntime) {
        var proto = Jina_EndpointsProto()
        proto.endpoints = runtime.executor.endpoints.names + [ExecutorRuntime.dryRunEndpoint]
        var schemas: [String: JSONValue] = [:]
        for name in proto.endpoints {
            let streams = runtime.executor.endpoints.entry(for: name)?.stream != nil && name != ExecutorRuntime.dryRunEndpoint
            schemas[name] = streams ? LegacyDocumentSchema.streamingEndpoint : LegacyDocumentSchema.endpoint
        }
        proto.schemas = Google_Protobuf_Struct(json: schemas)
        endpoints = proto
    }

    func endpoint_discovery(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Jina_EndpointsProto {
        endpoints
    }
}

/// `JinaInfoRPC/_status`: versions and environment, as `JinaInfo` describes.
struct InfoService: Jina_JinaInfoRPC.SimpleServiceProtocol {
    let info: Jina_JinaInfoProto

    func _status(request: Google_Protobuf_Empty, context: ServerContext) async throws -> Jina_JinaInfoProto {
        info
    }
}
