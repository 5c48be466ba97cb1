import JinaObservability
import JinaProto
@testable import JinaRuntime
import Testing

@Suite("executor metrics")
struct RuntimeMetricsTests {
    static func sample(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.map { String($0.dropFirst(prefix.count + 1)) }
    }

    @Test("N requests move the counters by exactly N; handler failures count as failed; documents are counted per endpoint")
    func countersMoveByExactlyN() async throws {
        let registry = MetricsRegistry()
        let metrics = ExecutorMetrics(registry: registry, executorType: "Router", runtimeName: "r/rep-0")
        let loaded = try await ExecutorFactory(Router.self).load(usesWith: nil, context: ExecutorContext(name: "r", logger: quietLogger()))
        let runtime = ExecutorRuntime(name: "r", executor: loaded, logger: quietLogger(), metrics: metrics)
        for _ in 0..<5 { _ = await runtime.process(try request("/a", texts: ["x", "y", "z"])) }
        for _ in 0..<2 { _ = await runtime.process(try request("/fail")) }
        _ = await runtime.process([try request("/b"), try request("/b")])  // process_data: one request

        let text = String(decoding: registry.exposition(), as: UTF8.self)
        #expect(Self.sample(text, #"jina_successful_requests_total{runtime_name="r/rep-0"}"#) == "6")
        #expect(Self.sample(text, #"jina_failed_requests_total{runtime_name="r/rep-0"}"#) == "2")
        #expect(Self.sample(text, #"jina_receiving_request_seconds_count{runtime_name="r/rep-0"}"#) == "8")
        #expect(Self.sample(text, #"jina_number_of_pending_requests{runtime_name="r/rep-0"}"#) == "0.0")
        let a = #"executor="Router",executor_endpoint="/a",runtime_name="r/rep-0""#
        #expect(Self.sample(text, "jina_document_processed_total{\(a)}") == "15")
        #expect(Self.sample(text, "jina_process_request_seconds_count{\(a)}") == "5")
        let b = #"executor="Router",executor_endpoint="/b",runtime_name="r/rep-0""#
        #expect(Self.sample(text, "jina_document_processed_total{\(b)}") == "1")
        await loaded.close()
    }
}
