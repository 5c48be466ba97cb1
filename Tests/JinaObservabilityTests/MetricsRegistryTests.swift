import MetricsTestKit
import Testing
@testable import JinaObservability

@Suite struct MetricsRegistryTests {
    static func sample(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.map { String($0.dropFirst(prefix.count + 1)) }
    }

    @Test func namesSplitIntoBaseAndUnitAndJoinBack() {
        for name in [MetricName.successfulRequests, MetricName.pendingRequests, MetricName.receivingRequestSeconds] {
            #expect(MetricsRegistry.descriptor(name).name == name)
        }
    }

    @Test func executorMetricsUseJinasLabelsAndCountExactly() {
        let registry = MetricsRegistry()
        let metrics = ExecutorMetrics(registry: registry, executorType: "TextAppend", runtimeName: "enc/rep-1")
        for _ in 0..<4 {
            metrics.successful.increment()
            metrics.endpoint("/index").documentsProcessed.increment(by: Int64(3))
        }
        metrics.failed.increment()
        metrics.endpoint("/index").processSeconds.record(.milliseconds(3))
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(Self.sample(text, #"jina_successful_requests_total{runtime_name="enc/rep-1"}"#) == "4")
        #expect(Self.sample(text, #"jina_failed_requests_total{runtime_name="enc/rep-1"}"#) == "1")
        let labels = #"executor="TextAppend",executor_endpoint="/index",runtime_name="enc/rep-1""#
        #expect(Self.sample(text, "jina_document_processed_total{\(labels)}") == "12")
        #expect(Self.sample(text, "jina_process_request_seconds_count{\(labels)}") == "1")
        #expect(Self.sample(text, #"jina_process_request_seconds_bucket{\#(labels),le="0.005"}"#) == "1")
        #expect(Self.sample(text, #"jina_process_request_seconds_bucket{\#(labels),le="0.0025"}"#) == "0")
        #expect(text.contains("# TYPE jina_document_processed_total counter"))
    }

    /// With OpenTelemetry metrics on, every handle also records into the instrument of the same
    /// name (a counter without `_total`) and labels.
    @Test func handlesMirrorIntoTheOpenTelemetryFactory() throws {
        let otel = TestMetrics()
        let registry = MetricsRegistry(otel: otel)
        let gateway = GatewayMetrics(registry: registry, executors: ["enc"])
        let labels = [("runtime_name", "gateway/rep-0")]
        gateway.successful.increment()
        gateway.successful.increment()
        gateway.pending.increment()
        gateway.receivingSeconds.record(.milliseconds(3))
        gateway.receivedBytes.record(512)
        gateway.executor("enc")?.sendingSeconds.record(.microseconds(1500))
        #expect(try otel.expectCounter("jina_successful_requests", labels).totalValue == 2)
        #expect(try otel.expectMeter(MetricName.pendingRequests, labels).lastValue == 1)
        #expect(try otel.expectTimer(MetricName.receivingRequestSeconds, labels).values == [3_000_000])
        #expect(try otel.expectRecorder(MetricName.receivedRequestBytes, labels).values == [512])
        let hop = [("executor", "enc"), ("runtime_name", "gateway/rep-0")]
        #expect(try otel.expectTimer(MetricName.sendingRequestSeconds, hop).values == [1_500_000])
        // The Prometheus series count the same.
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(Self.sample(text, #"jina_successful_requests_total{runtime_name="gateway/rep-0"}"#) == "2")
    }

    @Test func withoutOpenTelemetryNothingIsMirrored() {
        let registry = MetricsRegistry(otel: nil)
        #expect(registry.counter(MetricName.successfulRequests, []).otel == nil)
    }

    @Test func endpointHandlesAreKeptAndBounded() {
        let metrics = ExecutorMetrics(registry: MetricsRegistry(), executorType: "X", runtimeName: "x/rep-0")
        #expect(metrics.endpoint("/a") === metrics.endpoint("/a"))
        for index in 0..<(ExecutorMetrics.endpointLimit + 5) { _ = metrics.endpoint("/e\(index)") }
        #expect(metrics.endpoint("/late-1") === metrics.endpoint("/late-2"))
    }

    @Test func runtimeNamesFollowJina() {
        #expect(RuntimeName.executor("enc", shard: nil, replica: 1) == "enc/rep-1")
        #expect(RuntimeName.executor("idx", shard: 1, replica: nil) == "idx/shard-1/rep-0")
    }
}
