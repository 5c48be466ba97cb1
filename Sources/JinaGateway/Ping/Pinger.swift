import GRPCCore
import GRPCNIOTransportHTTP2
import JinaCore
import JinaProto
import SwiftProtobuf

/// `jina ping`: checks a Flow (dry run), gateway or executor (gRPC health) a number of times.
public enum Pinger {
    /// One check's outcome.
    public struct Check: Sendable {
        public var ok: Bool
        /// Why it failed.
        public var error: String?
        public var latency: Duration
    }

    /// The outcome of every attempt.
    public struct Report: Sendable {
        public var target: PingTarget
        public var kind: PingKind
        public var attempts: Int
        public var successes: Int
        public var minimumSuccesses: Int
        public var lastError: String?
        /// Latency of the last successful check.
        public var latency: Duration?

        public var ok: Bool { successes >= minimumSuccesses }

        /// One JSON object for scripts.
        public var json: String {
            var members: [String: JSONValue] = [
                "target": .string(target.description), "kind": .string(kind.rawValue),
                "attempts": .integer(attempts), "successes": .integer(successes), "ok": .bool(ok),
                "last_error": lastError.map(JSONValue.string) ?? .null,
                "latency_ms": latency.map { .number(($0.milliseconds * 1000).rounded() / 1000) } ?? .null,
            ]
            members["min_successful_attempts"] = .integer(minimumSuccesses)
            return JSONValue.object(members).serialized()
        }
    }

    /// Checks `attempts` times, pausing a second between attempts (as Jina does: pacing, not
    /// polling); `onCheck` sees each outcome. Throws `GatewayError` (runtime) for a target
    /// that is not served over gRPC yet.
    public static func run(
        kind: PingKind, target: PingTarget, timeout: Duration?, attempts: Int, minimumSuccesses: Int,
        onCheck: (Int, Check) -> Void = { _, _ in }
    ) async throws(GatewayError) -> Report {
        guard target.isGRPC else {
            throw GatewayError(
                .runtime, "`jina ping` over \(target.scheme.rawValue) is not available yet (it comes with the HTTP/WebSocket gateway)",
                hint: "ping the gateway's gRPC port: grpc://HOST:PORT")
        }
        var report = Report(target: target, kind: kind, attempts: attempts, successes: 0, minimumSuccesses: minimumSuccesses)
        for attempt in 1...max(attempts, 1) {
            if attempt > 1 {
                do { try await Task.sleep(for: .seconds(1)) } catch { break }
            }
            let check = await check(kind: kind, target: target, timeout: timeout)
            if check.ok {
                report.successes += 1
                report.latency = check.latency
            } else {
                report.lastError = check.error
            }
            onCheck(attempt, check)
        }
        return report
    }

    /// One check.
    public static func check(kind: PingKind, target: PingTarget, timeout: Duration?) async -> Check {
        let started = ContinuousClock.now
        do {
            let transport = try HTTP2ClientTransport.Posix(
                target: target.resolvableTarget,
                transportSecurity: target.scheme == .grpcs ? .tls : .plaintext)
            var options = CallOptions.defaults
            options.timeout = timeout
            let problem: String? = try await withGRPCClient(transport: transport) { client in
                switch kind {
                case .flow:
                    let status = try await Jina_JinaGatewayDryRunRPC.Client(wrapping: client)
                        .dry_run(Google_Protobuf_Empty(), options: options)
                    guard status.code == .success else {
                        let executor = status.exception.executor.isEmpty ? "" : " (executor \(status.exception.executor))"
                        return "the dry run failed\(executor): \(status.description_p)"
                    }
                    return nil
                case .gateway, .executor:
                    let health = try await Grpc_Health_V1_Health.Client(wrapping: client)
                        .check(Grpc_Health_V1_HealthCheckRequest(), options: options)
                    return health.status == .serving ? nil : "health is \(health.status)"
                }
            }
            return Check(ok: problem == nil, error: problem, latency: ContinuousClock.now - started)
        } catch {
            return Check(ok: false, error: ExecutorConnection.describe(error), latency: ContinuousClock.now - started)
        }
    }
}

extension PingTarget {
    var resolvableTarget: any ResolvableTarget {
        switch address {
        case .unix(let path): return .unixDomainSocket(path: path)
        case .tcp(let host, let port, _):
            if host.contains(":") { return .ipv6(address: host, port: port) }
            let parts = host.split(separator: ".")
            if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return .ipv4(address: host, port: port) }
            return .dns(host: host, port: port)
        case .dns(let name, let port): return .dns(host: name, port: port)
        }
    }
}

extension Duration {
    /// The duration in milliseconds, fractional.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
