import JinaCore
@testable import JinaGateway
import JinaObservability
import JinaProto
import Testing

@Suite("RequestRouter metrics")
struct RouterMetricsTests {
    static let chain = """
        jtype: Flow
        executors:
          - name: a
          - name: b
        """

    /// The sample `name{labels} value` of `text` (labels as written by swift-prometheus).
    static func sample(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.map { String($0.dropFirst(prefix.count + 1)) }
    }

    @Test("N requests move the gateway's counters by exactly N, failures apart, and every hop is measured")
    func countersMoveByExactlyN() async throws {
        let registry = MetricsRegistry()
        let metrics = GatewayMetrics(registry: registry, executors: ["a", "b"])
        let b = FakeReplica("b", appending: "B")
        let router = try RequestRouter(flow: loadFlow(Self.chain), callers: [
            "a": [[FakeReplica("a", appending: "A")]], "b": [[b]],
        ], logger: quietLogger(), metrics: metrics)
        for _ in 0..<7 { _ = await router.route(try makeRequest(["x"])) }
        b.behavior = .errorReply("no")
        for _ in 0..<3 { _ = await router.route(try makeRequest(["x"])) }

        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(Self.sample(text, #"jina_successful_requests_total{runtime_name="gateway/rep-0"}"#) == "7")
        #expect(Self.sample(text, #"jina_failed_requests_total{runtime_name="gateway/rep-0"}"#) == "3")
        #expect(Self.sample(text, #"jina_receiving_request_seconds_count{runtime_name="gateway/rep-0"}"#) == "10")
        #expect(Self.sample(text, #"jina_number_of_pending_requests{runtime_name="gateway/rep-0"}"#) == "0.0")
        #expect(Self.sample(text, #"jina_sending_request_seconds_count{executor="a",runtime_name="gateway/rep-0"}"#) == "10")
        #expect(Self.sample(text, #"jina_sending_request_seconds_count{executor="b",runtime_name="gateway/rep-0"}"#) == "10")
        #expect(Self.sample(text, #"jina_executor_pending_requests{executor="b",runtime_name="gateway/rep-0"}"#) == "0.0")
        #expect(text.contains("# TYPE jina_receiving_request_seconds histogram"))
        #expect(text.contains("# TYPE process_resident_memory_bytes gauge"))
    }

    @Test("the in-flight gauges count a request that is still at an executor")
    func inFlightWhileWaiting() async throws {
        let registry = MetricsRegistry()
        let metrics = GatewayMetrics(registry: registry, executors: ["a"])
        let a = FakeReplica("a", .hang)
        let router = try RequestRouter(flow: loadFlow("jtype: Flow\nexecutors:\n  - name: a\n"),
                                       callers: ["a": [[a]]], logger: quietLogger(), metrics: metrics)
        let task = Task { await router.route(try makeRequest(["x"])) }
        while a.callCount == 0 { await Task.yield() }
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(Self.sample(text, #"jina_number_of_pending_requests{runtime_name="gateway/rep-0"}"#) == "1.0")
        #expect(Self.sample(text, #"jina_executor_pending_requests{executor="a",runtime_name="gateway/rep-0"}"#) == "1.0")
        task.cancel()
        _ = try await task.value
    }
}
