import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
@testable import JinaGateway
import JinaProto
import JinaRuntime
import GRPCProtobuf
import SwiftProtobuf
import Testing

/// Runs a gateway with `gatewayYAML` in its `with:` section in front of one `ParityExecutor`
/// named `parity`; `body` gets the gateway's port.
func withParityGateway<R: Sendable>(
    _ gatewayYAML: String = "", grpcServer: GRPCServerKind = .frontDoor, _ body: @Sendable (Int) async throws -> R
) async throws -> R {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let socket = "\(directory)/p.sock"
    let flow = try loadFlow("jtype: Flow\nwith:\n  protocol: grpc\n\(gatewayYAML)executors:\n  - name: parity\n")
    return try await withParityExecutor(socket: socket) { _ in
        var configuration = GatewayConfiguration(
            flow: flow, addresses: ["parity": DeploymentAddresses(replicas: [.unix(path: socket)])], host: "127.0.0.1", ports: [0])
        configuration.grpcServer = grpcServer
        return try await withGateway(configuration, body)
    }
}

@Suite("gRPC front door: the data methods as grpc-swift served them, plus limits and deadlines")
struct FrontDoorTests {
    @Test("a Call stream that half-closes with more requests than prefetch gets every reply", arguments: GRPCServerKind.allCases)
    func halfCloseBeyondPrefetch(server: GRPCServerKind) async throws {
        try await withParityGateway("  prefetch: 2\n", grpcServer: server) { port in
            try await withClient(port: port) { client in
                let requests = try (0..<12).map { index in
                    try Jina_DataRequestProto(
                        endpoint: "/slow", documents: [Document(id: "d\(index)", text: "\(index)")],
                        parameters: ["ms": 20], requestID: "r\(index)")
                }
                let ids = try await Jina_JinaRPC.Client(wrapping: client).call(request: StreamingClientRequest { writer in
                    try await writer.write(contentsOf: requests)
                }) { response in
                    var ids: [String] = []
                    for try await reply in response.messages {
                        #expect(try reply.documents().map(\.text) == ["slept"])
                        ids.append(reply.requestID)
                    }
                    return ids
                }
                #expect(ids.sorted() == (0..<12).map { "r\($0)" }.sorted())
            }
        }
    }

    @Test("grpc-timeout is honoured with DEADLINE_EXCEEDED; the stream after it is served")
    func deadline() async throws {
        try await withParityGateway { port in
            try await withClient(port: port) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                var options = CallOptions.defaults
                options.timeout = .milliseconds(200)
                let slow = try Jina_DataRequestProto(endpoint: "/slow", documents: [Document(id: "d")], parameters: ["ms": 5000], requestID: "late")
                let error = await #expect(throws: RPCError.self) { _ = try await rpc.process_single_data(slow, options: options) }
                #expect(error?.code == .deadlineExceeded)
                let reply = try await rpc.process_single_data(
                    try Jina_DataRequestProto(endpoint: "/append", documents: [Document(id: "d", text: "x")], requestID: "next"))
                #expect(try reply.documents().map(\.text) == ["x!"])
            }
        }
    }

    @Test("a message over max_request_bytes ends the call with RESOURCE_EXHAUSTED naming the limit")
    func tooLarge() async throws {
        try await withParityGateway("  max_request_bytes: 1000\n") { port in
            try await withClient(port: port) { client in
                let rpc = Jina_JinaSingleDataRequestRPC.Client(wrapping: client)
                let big = try Jina_DataRequestProto(
                    endpoint: "/append", documents: [Document(id: "d", text: String(repeating: "x", count: 5000))], requestID: "big")
                let error = await #expect(throws: RPCError.self) { _ = try await rpc.process_single_data(big) }
                #expect(error?.code == .resourceExhausted)
                #expect(error?.message.contains("max_request_bytes") == true)
                let small = try await rpc.process_single_data(
                    try Jina_DataRequestProto(endpoint: "/append", documents: [Document(id: "d", text: "x")], requestID: "small"))
                #expect(!small.isError)
            }
        }
    }

    @Test("an error reply carries is-error in the trailers; forwarded methods answer through grpc-swift")
    func trailersAndForwarding() async throws {
        try await withParityGateway { port in
            try await withClient(port: port) { client in
                let request = try Jina_DataRequestProto(endpoint: "/boom", documents: [Document(id: "d")], requestID: "boom")
                let trailers = try await client.unary(
                    request: ClientRequest(message: request),
                    descriptor: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
                    serializer: GRPCProtobuf.ProtobufSerializer<Jina_DataRequestProto>(),
                    deserializer: GRPCProtobuf.ProtobufDeserializer<Jina_DataRequestProto>(),
                    options: .defaults
                ) { response in
                    let message = try response.message
                    #expect(message.isError)
                    return response.trailingMetadata
                }
                #expect(Array(trailers[stringValues: "is-error"]) == ["true"])
                let health = try await Grpc_Health_V1_Health.Client(wrapping: client).check(Grpc_Health_V1_HealthCheckRequest())
                #expect(health.status == .serving)
                let endpoints = try await Jina_JinaDiscoverEndpointsRPC.Client(wrapping: client).endpoint_discovery(Google_Protobuf_Empty())
                #expect(endpoints.endpoints.contains("/append"))
                let unknown = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: Google_Protobuf_Empty()),
                        descriptor: MethodDescriptor(fullyQualifiedService: "jina.Nope", method: "nothing"),
                        serializer: GRPCProtobuf.ProtobufSerializer<Google_Protobuf_Empty>(),
                        deserializer: GRPCProtobuf.ProtobufDeserializer<Google_Protobuf_Empty>(),
                        options: .defaults) { try $0.message }
                }
                #expect(unknown?.code == .unimplemented)
            }
        }
    }
}
