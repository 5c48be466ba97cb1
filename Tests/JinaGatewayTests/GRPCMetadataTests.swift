import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import JinaCore
@testable import JinaGateway
import JinaProto
import SwiftProtobuf
import Synchronization
import Testing

/// A gRPC executor stand-in (no local wire) that records the metadata of every call and echoes
/// requests, on `Call` and `process_single_data`. Its `_status` names `jina-swift` (as ours do,
/// whose `Call` streams answer concurrently) unless `pythonJina`, which answers as Python Jina's
/// worker does.
final class MetadataRecorder: RegistrableRPCService, Sendable {
    let seen = Mutex<[(method: String, metadata: [String: String])]>([])
    let pythonJina: Bool

    init(pythonJina: Bool = false) {
        self.pythonJina = pythonJina
    }

    private func record(_ method: String, _ metadata: Metadata) {
        var strings: [String: String] = [:]
        for (key, value) in metadata {
            if case .string(let text) = value { strings[key] = text }
        }
        seen.withLock { $0.append((method, strings)) }
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Jina_JinaInfoRPC.Method._status.descriptor,
            deserializer: ProtobufDeserializer<Google_Protobuf_Empty>(), serializer: ProtobufSerializer<Jina_JinaInfoProto>()
        ) { request, _ in
            self.record("_status", request.metadata)
            var info = Jina_JinaInfoProto()
            info.jina = self.pythonJina ? ["jina": "3.34.0"] : ["jina": "3.34.0", "jina-swift": "test"]
            return StreamingServerResponse(single: ServerResponse(message: info))
        }
        router.registerHandler(
            forMethod: Jina_JinaRPC.Method.Call.descriptor,
            deserializer: ProtobufDeserializer<Jina_DataRequestProto>(), serializer: ProtobufSerializer<Jina_DataRequestProto>()
        ) { request, _ in
            self.record("Call", request.metadata)
            return StreamingServerResponse { writer in
                for try await message in request.messages { try await writer.write(message) }
                return [:]
            }
        }
        router.registerHandler(
            forMethod: Jina_JinaSingleDataRequestRPC.Method.process_single_data.descriptor,
            deserializer: ProtobufDeserializer<Jina_DataRequestProto>(), serializer: ProtobufSerializer<Jina_DataRequestProto>()
        ) { request, _ in
            self.record("process_single_data", request.metadata)
            let message = try await ServerRequest(stream: request).message
            return StreamingServerResponse(single: ServerResponse(message: message))
        }
    }
}

@Suite("grpc_metadata reaches executors")
struct GRPCMetadataTests {
    @Test("an executor's grpc_metadata goes with every Call stream and unary call", arguments: [ExecutorTransport.local, .callStream, .unary])
    func sent(transport: ExecutorTransport) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/ext.sock"
        let recorder = MetadataRecorder()
        let server = GRPCServer(
            transport: HTTP2ServerTransport.Posix(address: .unixDomainSocket(path: socket), transportSecurity: .plaintext),
            services: [recorder])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let connection = try ExecutorConnection(
                executor: "ext", address: .unix(path: socket), transport: transport,
                metadata: ["token": "secret", "x-team": "search"], logger: quietLogger())
            group.addTask { await connection.run() }
            let reply = try await connection.call(try makeRequest(["a"], id: "m1"), readyWait: .seconds(10))
            #expect(reply.texts == ["a"])
            connection.close()
            server.beginGracefulShutdown()
        }
        let seen = recorder.seen.withLock { $0 }
        #expect(!seen.isEmpty)
        for call in seen {
            #expect(call.metadata["token"] == "secret", "\(call.method)")
            #expect(call.metadata["x-team"] == "search", "\(call.method)")
        }
        #expect(seen.map(\.method).contains(transport == .unary ? "process_single_data" : "Call"))
    }

    @Test("an executor that is not ours (Python Jina's worker answers a Call stream in turn) gets one unary call per request")
    func pythonJinaGetsUnaryCalls() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/py.sock"
        let recorder = MetadataRecorder(pythonJina: true)
        let server = GRPCServer(
            transport: HTTP2ServerTransport.Posix(address: .unixDomainSocket(path: socket), transportSecurity: .plaintext),
            services: [recorder])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let connection = try ExecutorConnection(
                executor: "py", address: .unix(path: socket), transport: .callStream, logger: quietLogger())
            group.addTask { await connection.run() }
            for id in ["p1", "p2", "p3"] {
                let reply = try await connection.call(try makeRequest([id], id: id), readyWait: .seconds(10))
                #expect(reply.texts == [id])
            }
            connection.close()
            server.beginGracefulShutdown()
        }
        let methods = recorder.seen.withLock { $0.map(\.method) }
        #expect(methods.filter { $0 == "process_single_data" }.count == 3)
        #expect(!methods.contains("Call"))
    }
}
