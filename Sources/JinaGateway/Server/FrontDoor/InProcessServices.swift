import Foundation
import GRPCCore
import GRPCInProcessTransport
import NIOHPACK

/// The gateway's gRPC services other than the two data methods (health, endpoint discovery,
/// dry run, `_status`), served by grpc-swift in process: the front door forwards every other
/// method to them, so their behaviour (and the bearer-token interceptor) is grpc-swift's own.
final class InProcessServices: Sendable {
    let server: GRPCServer<InProcessTransport.Server>
    let client: GRPCClient<InProcessTransport.Client>

    init(services: [any RegistrableRPCService], interceptors: [any ServerInterceptor]) {
        let transport = InProcessTransport()
        server = GRPCServer(transport: transport.server, services: services, interceptors: interceptors)
        client = GRPCClient(transport: transport.client)
    }

    /// Serves until `shutdown()`.
    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.server.serve() }
            group.addTask { try await self.client.runConnections() }
        }
    }

    func shutdown() {
        client.beginGracefulShutdown()
        server.beginGracefulShutdown()
    }

    /// Forwards one call: `path` as `/service/method`, the request's metadata, its messages as
    /// they arrive; the response goes to `sink` (headers, messages, then trailers).
    func forward(path: String, headers: HPACKHeaders, messages: AsyncStream<[UInt8]>, sink: ResponseSink) async {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            sink.finish(.unimplemented, "unknown method \(path)", [])
            return
        }
        let descriptor = MethodDescriptor(fullyQualifiedService: String(parts[0]), method: String(parts[1]))
        let request = StreamingClientRequest<[UInt8]>(metadata: Self.metadata(headers)) { writer in
            for await message in messages { try await writer.write(message) }
        }
        do {
            try await client.bidirectionalStreaming(
                request: request, descriptor: descriptor, serializer: RawSerializer(), deserializer: RawDeserializer(),
                options: .defaults
            ) { response in
                switch response.accepted {
                case .success(let contents):
                    sink.headers(Self.pairs(contents.metadata))
                    do {
                        for try await part in contents.bodyParts {
                            switch part {
                            case .message(let bytes): sink.message(bytes)
                            case .trailingMetadata(let trailers): sink.finish(nil, "", Self.pairs(trailers))
                            }
                        }
                    } catch let error as RPCError {
                        sink.finish(error.code, error.message, Self.pairs(error.metadata))
                    }
                case .failure(let error):
                    sink.finish(error.code, error.message, Self.pairs(error.metadata))
                }
            }
        } catch let error as RPCError {
            sink.finish(error.code, error.message, Self.pairs(error.metadata))
        } catch {
            sink.finish(.unknown, "\(error)", [])
        }
    }

    /// HTTP/2 request headers as gRPC metadata (reserved and pseudo headers left out; `-bin`
    /// values base64-decoded).
    static func metadata(_ headers: HPACKHeaders) -> Metadata {
        var metadata = Metadata()
        for (name, value, _) in headers {
            if name.hasPrefix(":") || reserved.contains(name) || name.hasPrefix("grpc-") { continue }
            if name.hasSuffix("-bin") {
                if let bytes = Data(base64Encoded: value.paddedBase64) { metadata.addBinary(Array(bytes), forKey: name) }
            } else {
                metadata.addString(value, forKey: name)
            }
        }
        return metadata
    }

    /// Metadata as HTTP/2 header pairs (`-bin` values base64-encoded).
    static func pairs(_ metadata: Metadata) -> [(String, String)] {
        metadata.compactMap { key, value in
            if key.hasPrefix(":") || key.hasPrefix("grpc-") || reserved.contains(key) { return nil }
            switch value {
            case .string(let text): return (key, text)
            case .binary(let bytes): return (key, Data(bytes).base64EncodedString())
            }
        }
    }

    static let reserved: Set<String> = ["content-type", "te", "user-agent", "content-length"]
}

extension String {
    /// Base64 as gRPC sends it may leave out the padding.
    fileprivate var paddedBase64: String {
        let remainder = count % 4
        return remainder == 0 ? self : self + String(repeating: "=", count: 4 - remainder)
    }
}

/// Where a forwarded call's response goes: closures that hop onto the stream's event loop.
struct ResponseSink: Sendable {
    let headers: @Sendable ([(String, String)]) -> Void
    let message: @Sendable ([UInt8]) -> Void
    let finish: @Sendable (RPCError.Code?, String, [(String, String)]) -> Void
}

/// Messages as the bytes they are.
struct RawSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

struct RawDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] {
        bytes.withUnsafeBytes { Array($0) }
    }
}
