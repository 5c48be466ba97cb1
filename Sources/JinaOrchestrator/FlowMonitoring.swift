import AsyncHTTPClient
public import JinaObservability
import Logging
import NIOCore
import Prometheus
import Synchronization

/// The metrics of a running Flow in `jina flow`'s own process: its registry (the gateway's
/// metrics and executor restarts), the gateway's `/metrics`, and one aggregated `/metrics` that
/// scrapes every child on each request and adds labels saying where each series came from:
/// `pod` (`gateway`, `encoder/rep-0`, `indexer/shard-1/rep-0`), `deployment`, `shard`, `replica`.
public final class FlowMonitoring: Sendable {
    /// The process's registry; the gateway records into it.
    public let registry: MetricsRegistry
    /// Host the endpoints bind (the gateway's host).
    public let host: String
    /// The gateway's own `/metrics` port; nil = the gateway does not monitor.
    public let gatewayPort: Int?
    /// The aggregated endpoint's port (0 = a free port, chosen before start).
    public let aggregatePort: Int
    private let restarts = Mutex<[String: MetricCounter]>([:])

    public init(registry: MetricsRegistry, host: String, gatewayPort: Int?, aggregatePort: Int) {
        self.registry = registry
        self.host = host
        // Explicit ports first, so that a picked one cannot collide with them.
        var picker = PortPicker(reserved: Set([gatewayPort, aggregatePort].compactMap { $0 }), pick: FreePort.pick)
        self.gatewayPort = gatewayPort.map { $0 == 0 ? picker.next() ?? 0 : $0 }
        self.aggregatePort = aggregatePort == 0 ? picker.next() ?? 0 : aggregatePort
    }

    /// The ports this object serves on (0 when none could be picked).
    var ports: Set<Int> { Set([gatewayPort, aggregatePort].compactMap { $0 }) }

    /// Makes the restart counter of every replica (so it shows 0 before the first restart).
    func prepare(_ plan: FlowPlan) {
        restarts.withLock { table in
            for replica in plan.replicas {
                table[replica.runtimeName] = registry.counter(MetricName.executorRestarts, [
                    ("executor", replica.executor), ("shard", String(replica.shard)), ("replica", String(replica.replica)),
                ])
            }
        }
    }

    /// `replica` died and will be restarted.
    func restarted(_ replica: ReplicaPlan) {
        restarts.withLock { $0[replica.runtimeName] }?.increment()
    }

    /// The banner's metrics lines: what serves metrics where.
    func addresses(_ plan: FlowPlan) -> [(String, String)] {
        var lines: [(String, String)] = [("flow", url(host, aggregatePort))]
        if let gatewayPort { lines.append(("gateway", url(host, gatewayPort))) }
        for replica in plan.replicas {
            if let port = replica.monitoringPort { lines.append((replica.runtimeName, url("127.0.0.1", port))) }
        }
        return lines
    }

    private func url(_ host: String, _ port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/metrics"
    }

    /// Serves the gateway's and the aggregated endpoint until cancelled.
    func serve(_ plan: FlowPlan, logger: Logger) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let gatewayPort {
                let server = MetricsServer(host: host, port: gatewayPort, registry: registry, logger: logger)
                group.addTask { try await Self.run(server) }
            }
            let targets = plan.replicas.compactMap { replica in replica.monitoringPort.map { (replica, $0) } }
            let aggregate = MetricsServer(host: host, port: aggregatePort, logger: logger) { [registry] in
                await Self.aggregate(own: registry, targets: targets)
            }
            group.addTask { try await Self.run(aggregate) }
            // The first failure ends both (waitForAll would wait for the other one first).
            while try await group.next() != nil {}
        }
    }

    private static func run(_ server: MetricsServer) async throws {
        do {
            try await server.run()
        } catch {
            throw OrchestratorError("\(error)", hint: "choose another port_monitoring / --port-monitoring")
        }
    }

    /// This process's metrics and every child's, scraped concurrently (2 s each), labelled.
    static func aggregate(own: MetricsRegistry, targets: [(ReplicaPlan, Int)]) async -> [UInt8] {
        var merger = ExpositionMerger()
        merger.add(String(decoding: own.exposition(), as: UTF8.self),
                   labels: [("pod", "gateway"), ("deployment", "gateway")])
        let scraped = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await scrape(port: target.1)) }
            }
            var texts = [String?](repeating: nil, count: targets.count)
            for await (index, text) in group { texts[index] = text }
            return texts
        }
        var up = "# HELP \(MetricName.scrapeUp) \(MetricName.help[MetricName.scrapeUp]!)\n# TYPE \(MetricName.scrapeUp) gauge\n"
        for (index, (replica, _)) in targets.enumerated() {
            let labels = [
                ("pod", replica.runtimeName), ("deployment", replica.executor),
                ("shard", String(replica.shard)), ("replica", String(replica.replica)),
            ]
            if let text = scraped[index] { merger.add(text, labels: labels) }
            let rendered = labels.map { "\($0.0)=\"\(ExpositionMerger.escape($0.1))\"" }.joined(separator: ",")
            up += "\(MetricName.scrapeUp){\(rendered)} \(scraped[index] == nil ? 0 : 1)\n"
        }
        merger.add(up, labels: [])
        return Array(merger.text.utf8)
    }

    static func scrape(port: Int) async -> String? {
        do {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
            guard response.status == .ok else { return nil }
            return String(buffer: try await response.body.collect(upTo: 32 << 20))
        } catch {
            return nil
        }
    }
}
