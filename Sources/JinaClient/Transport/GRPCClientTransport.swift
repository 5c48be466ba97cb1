import GRPCCore
import GRPCNIOTransportHTTP2
import JinaProto
import SwiftProtobuf

/// gRPC (`grpc://`, `grpcs://`, `unix://`): requests go over one `JinaRPC/Call` stream, as
/// Python Jina's client sends them; readiness is `dry_run` (flow) or gRPC health.
struct GRPCClientTransport: ClientTransport {
    let target: GatewayTarget
    let security: ClientSecurity

    func withConnection<Result: Sendable>(
        _ body: (any ClientConnection) async throws -> Result
    ) async throws -> Result {
        let transport: HTTP2ClientTransport.Posix
        do {
            transport = try makeTransport()
        } catch {
            throw ErrorText.clientError(error, target: target)
        }
        let metadata = self.metadata
        let target = self.target
        return try await withGRPCClient(transport: transport) { client in
            let rpc = Jina_JinaRPC.Client(wrapping: client)
            return try await StreamingConnection.run(target: target, driver: { outbound, multiplexer in
                try await rpc.call(metadata: metadata, requestProducer: { writer in
                    for await request in outbound { try await writer.write(request) }
                }, onResponse: { response in
                    for try await reply in response.messages { multiplexer.resolve(reply) }
                })
            }, body: body)
        }
    }

    func check(_ kind: PingKind, timeout: Duration?) async -> String? {
        do {
            var options = CallOptions.defaults
            options.timeout = timeout
            let metadata = self.metadata
            return try await withGRPCClient(transport: try makeTransport()) { client in
                switch kind {
                case .flow:
                    let status = try await Jina_JinaGatewayDryRunRPC.Client(wrapping: client)
                        .dry_run(Google_Protobuf_Empty(), metadata: metadata, options: options)
                    guard status.code == .success else {
                        let executor = status.exception.executor.isEmpty ? "" : " (executor \(status.exception.executor))"
                        return "the dry run failed\(executor): \(status.description_p)"
                    }
                    return nil
                case .gateway, .executor:
                    let health = try await Grpc_Health_V1_Health.Client(wrapping: client)
                        .check(Grpc_Health_V1_HealthCheckRequest(), metadata: metadata, options: options)
                    return health.status == .serving ? nil : "health is \(health.status)"
                }
            }
        } catch {
            return RPCErrorText.describe(error)
        }
    }

    private var metadata: Metadata {
        guard let authorization = security.authorization else { return [:] }
        return ["authorization": .string(authorization)]
    }

    private func makeTransport() throws -> HTTP2ClientTransport.Posix {
        let transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity
        if target.usesTLS {
            let caFile = security.caFile
            transportSecurity = .tls { config in
                if let caFile { config.trustRoots = .certificates([.file(path: caFile, format: .pem)]) }
            }
        } else {
            transportSecurity = .plaintext
        }
        return try HTTP2ClientTransport.Posix(target: resolvableTarget, transportSecurity: transportSecurity)
    }

    private var resolvableTarget: any ResolvableTarget {
        if target.scheme == .unix { return .unixDomainSocket(path: target.path) }
        let host = target.host
        if host.contains(":") { return .ipv6(address: host, port: target.port) }
        let parts = host.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return .ipv4(address: host, port: target.port) }
        return .dns(host: host, port: target.port)
    }
}
