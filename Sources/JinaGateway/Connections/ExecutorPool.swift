import GRPCCore
import JinaCore
import JinaProto
import Logging
import SwiftProtobuf

/// Something the pool keeps running: a connection, or the replicas behind a DNS name.
protocol PoolMember: Sendable {
    /// Runs until `close()` and whatever it holds has drained.
    func run() async
    /// Stops taking requests; in-flight ones are answered.
    func close()
}

/// Every executor connection of the gateway: built from the addresses, run for the gateway's
/// life, closed when it drains. Gives the router one `Deployment` per executor.
final class ExecutorPool: Sendable {
    let deployments: [String: Deployment]
    private let members: [any PoolMember]
    /// Executor names in Flow order (endpoint discovery asks them in this order).
    private let order: [String]

    init(configuration: GatewayConfiguration, logger: Logger) throws(GatewayError) {
        let flow = configuration.flow
        var deployments: [String: Deployment] = [:]
        var members: [any PoolMember] = []
        func deployment(_ name: String, _ addresses: DeploymentAddresses, like spec: ExecutorSpec) throws(GatewayError) -> Deployment {
            var shards: [any ReplicaSource] = []
            for replicas in addresses.shards {
                var fixed: [any ExecutorCaller] = []
                var named: [DNSReplicas] = []
                for address in replicas {
                    if case .dns(let host, let port) = address {
                        let source = DNSReplicas(
                            executor: name, name: host, port: port, transport: configuration.executorTransport,
                            metadata: spec.grpcMetadata, refreshInterval: configuration.dnsRefreshInterval, logger: logger)
                        named.append(source)
                        members.append(source)
                    } else {
                        let connection = try ExecutorConnection(
                            executor: name, address: address, transport: configuration.executorTransport,
                            metadata: spec.grpcMetadata, logger: logger)
                        fixed.append(connection)
                        members.append(connection)
                    }
                }
                if named.isEmpty {
                    shards.append(FixedReplicas(replicas: fixed))
                } else if fixed.isEmpty, named.count == 1 {
                    shards.append(named[0])
                } else {
                    shards.append(CombinedReplicas(sources: [FixedReplicas(replicas: fixed)] + named))
                }
            }
            return Deployment(
                name: name, shards: shards,
                retries: spec.retries >= 0 ? spec.retries : flow.gateway.retries,
                timeout: spec.sendTimeout ?? flow.gateway.sendTimeout, retryOnTimeout: spec.retryOnTimeout)
        }
        for spec in flow.executors {
            deployments[spec.name] = try deployment(spec.name, try configuration.deploymentAddresses(of: spec), like: spec)
            for role in HeadRole.allCases where spec.hasHead(role) {
                let name = spec.headName(role)
                deployments[name] = try deployment(name, try configuration.headAddresses(of: spec, role: role), like: spec)
            }
        }
        self.deployments = deployments
        self.members = members
        order = flow.executors.map(\.name)
    }

    /// Runs every connection until `close()` and their streams have drained.
    func run() async {
        await withDiscardingTaskGroup { group in
            for member in members {
                group.addTask { await member.run() }
            }
        }
    }

    func close() {
        for member in members { member.close() }
    }

    /// Each executor's `endpoint_discovery` answer (from the first replica of its first shard
    /// that answers), in Flow order. Throws `RPCError` (UNAVAILABLE) naming an executor none of
    /// whose replicas answered.
    func discoverEndpoints() async throws -> [Jina_EndpointsProto] {
        var answers: [Jina_EndpointsProto] = []
        for name in order {
            guard let deployment = deployments[name], let shard = deployment.shards.first else { continue }
            var problems: [String] = []
            var answered = false
            for replica in shard.replicas {
                guard let connection = replica as? ExecutorConnection else { continue }
                do {
                    answers.append(try await connection.discoverEndpoints())
                    answered = true
                    break
                } catch {
                    problems.append("\(connection.address): \(RPCErrorText.describe(error))")
                }
            }
            if !answered {
                throw RPCError(code: .unavailable, message: "endpoint discovery: executor `\(name)` did not answer (\(problems.joined(separator: "; ")))")
            }
        }
        return answers
    }
}

/// A shard whose replicas come from several sources (fixed addresses and DNS names).
struct CombinedReplicas: ReplicaSource {
    let sources: [any ReplicaSource]

    var replicas: [any ExecutorCaller] { sources.flatMap(\.replicas) }

    func replicasFailed() {
        for source in sources { source.replicasFailed() }
    }

    func waitForReplicas(upTo limit: Duration) async {
        await sources.last?.waitForReplicas(upTo: limit)
    }
}

extension ExecutorConnection: PoolMember {
    /// The executor's `endpoint_discovery` answer.
    func discoverEndpoints() async throws -> Jina_EndpointsProto {
        var options = CallOptions.defaults
        options.timeout = .seconds(5)
        return try await Jina_JinaDiscoverEndpointsRPC.Client(wrapping: client)
            .endpoint_discovery(Google_Protobuf_Empty(), metadata: callMetadata, options: options)
    }
}
