import JinaCore
import JinaObservability
import JinaProto
@testable import JinaRuntime
import Synchronization
import Testing

/// The batching queue on its own, and inside the runtime: when batches are cut, how large they
/// are, who shares one, and what a failing batch does. No test waits on a clock except the one
/// about `timeout`, which bounds from below.
@Suite("dynamic batching")
struct DynamicBatchingTests {
    /// Records every batch it gets (texts in order, and the parameters); tags documents with the
    /// batch's number; a document `fail` fails the batch, `drop` is dropped.
    final class Recorder: Sendable {
        let batches = Mutex<[(texts: [String], parameters: JSONValue)]>([])

        var sizes: [Int] { batches.withLock { $0.map(\.texts.count) } }

        func handler() -> EndpointBatcher.Handler {
            { documents, parameters in
                let number = self.batches.withLock { batches in
                    batches.append((documents.map { $0.text ?? "" }, parameters))
                    return batches.count
                }
                if documents.contains(where: { $0.text == "fail" }) { throw Failure(batch: number) }
                documents.removeAll { $0.text == "drop" }
                for index in documents.indices {
                    documents[index].tags = ["batch": DocValue(.integer(number))]
                }
                return nil
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var batch: Int
        var description: String { "batch \(batch) failed" }
    }

    static func outcome(_ body: () async throws -> [Document]) async -> Result<[Document], any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func documents(_ texts: [String]) -> [Document] {
        texts.map { Document(text: $0) }
    }

    static func batcher(_ batching: DynamicBatching, _ recorder: Recorder, metrics: BatchingMetrics? = nil) -> EndpointBatcher {
        EndpointBatcher(endpoint: "/e", batching: batching, handler: recorder.handler(), metrics: nil, batchMetrics: metrics)
    }

    @Test("requests queue until preferred_batch_size documents wait; the rest waits for more (here: the drain)")
    func batchesFillToThePreferredSize() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 4, timeout: .seconds(3600)), recorder)
        try await withThrowingTaskGroup(of: [Document].self) { group in
            for index in 0..<10 {
                group.addTask { try await batcher.submit(Self.documents(["d\(index)"]), parameters: .object([:])) }
            }
            // 8 of the 10 documents are answered in two full batches; the last 2 wait for the
            // hour-long timeout, so only the drain can answer them.
            for _ in 0..<8 { _ = try await group.next() }
            #expect(recorder.sizes == [4, 4])
            await batcher.drain()
            for try await answer in group { #expect(answer.count == 1) }
        }
        #expect(recorder.sizes == [4, 4, 2])
    }

    @Test("a request larger than the batch is split across batches and answered whole, in order")
    func largeRequestsAreSplit() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 4, timeout: .seconds(3600)), recorder)
        let texts = (0..<10).map { "d\($0)" }
        let answer = try await batcher.submit(Self.documents(texts), parameters: .object([:]))
        #expect(answer.map(\.text) == texts)
        #expect(recorder.sizes == [4, 4, 2])
        #expect(answer.map { $0.tags?["batch"] } == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3].map { DocValue(.integer($0)) })
    }

    @Test("flush_all: the batch that preferred_batch_size starts takes everything that waits")
    func flushAllTakesEverything() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600), flushAll: true), recorder)
        _ = try await batcher.submit(Self.documents(["a", "b", "c", "d", "e"]), parameters: .object([:]))
        #expect(recorder.sizes == [5])
    }

    @Test("requests with different parameters never share a batch; each batch gets its requests' parameters")
    func parametersSeparateQueues() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 3, timeout: .seconds(3600)), recorder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                let parameters: JSONValue = .object(["p": .integer(index % 2)])
                group.addTask { _ = try await batcher.submit(Self.documents(["p\(index % 2)"]), parameters: parameters) }
            }
            try await group.waitForAll()
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.count == 2)
        for batch in batches {
            #expect(batch.texts.count == 3)
            let value = batch.parameters.objectValue?["p"]
            #expect(Set(batch.texts) == [value == .integer(0) ? "p0" : "p1"])
        }
    }

    @Test("a failing batch fails exactly the requests with documents in it")
    func failuresStayInTheirBatch() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600)), recorder)
        // Each request fills a batch by itself, so batches are known whatever the arrival order.
        async let bad = Self.outcome { try await batcher.submit(Self.documents(["x", "fail"]), parameters: .null) }
        async let good = Self.outcome { try await batcher.submit(Self.documents(["y", "z"]), parameters: .null) }
        let (badResult, goodResult) = await (bad, good)
        #expect(throws: Failure.self) { try badResult.get() }
        #expect(try goodResult.get().map { $0.text } == ["y", "z"])
        // A request split over a good and a failing batch fails as a whole.
        await #expect(throws: Failure.self) {
            try await batcher.submit(Self.documents(["a", "b", "fail", "c"]), parameters: .null)
        }
        #expect(recorder.sizes == [2, 2, 2, 2])
    }

    @Test("a handler that returns fewer documents than it got fails its batch with a clear error")
    func handlersMustKeepTheCount() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600)), recorder)
        do {
            _ = try await batcher.submit(Self.documents(["a", "drop"]), parameters: .null)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "dynamic batching of /e needs as many documents out as in: the handler got 2 and returned 1")
        }
    }

    @Test("max_queue_documents: documents queued or in a batch count; a request that would pass it is refused at once")
    func overloadIsRefused() async throws {
        // The handler reports each batch it starts and holds it until the test lets it go.
        let (started, startedIn) = AsyncStream.makeStream(of: Int.self)
        let (gate, gateIn) = AsyncStream.makeStream(of: Void.self)
        let handler: EndpointBatcher.Handler = { documents, _ in
            startedIn.yield(documents.count)
            for await _ in gate { break }
            return nil
        }
        let batcher = EndpointBatcher(
            endpoint: "/e", batching: DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600), maxQueueDocuments: 3),
            handler: handler, metrics: nil, batchMetrics: nil)
        await #expect(throws: Overloaded.self) {
            try await batcher.submit(Self.documents(["1", "2", "3", "4"]), parameters: .null)
        }
        try await withThrowingTaskGroup(of: [Document].self) { group in
            group.addTask { try await batcher.submit(Self.documents(["a", "b"]), parameters: .null) }
            var batches = started.makeAsyncIterator()
            #expect(await batches.next() == 2)  // a and b are in a running batch
            do {
                _ = try await batcher.submit(Self.documents(["c", "d"]), parameters: .null)
                Issue.record("2 + 2 documents passed a limit of 3")
            } catch let error as Overloaded {
                #expect("\(error)" == "endpoint /e has 2 documents queued or in a batch, and max_queue_documents is 3; try again later or add replicas")
            }
            // One more document fits; the drain runs it once the first batch is let go.
            group.addTask { try await batcher.submit(Self.documents(["e"]), parameters: .null) }
            gateIn.yield()
            #expect(try await group.next()?.count == 2)
            await batcher.drain()
            #expect(await batches.next() == 1)
            gateIn.yield()
            #expect(try await group.next()?.count == 1)
        }
        // Answered documents leave the count: three fit again.
        gateIn.finish()
        _ = try await batcher.submit(Self.documents(["f", "g", "h"]), parameters: .null)
    }

    @Test("many concurrent requests of mixed sizes and parameters each get exactly their own documents back")
    func concurrentRequestsGetTheirOwnDocuments() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 4, timeout: .milliseconds(1)), recorder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for request in 0..<300 {
                group.addTask {
                    let texts = (0..<(request % 9 + 1)).map { "r\(request)d\($0)" }
                    let answer = try await batcher.submit(Self.documents(texts), parameters: .object(["p": .integer(request % 3)]))
                    #expect(answer.map(\.text) == texts)
                }
            }
            try await group.waitForAll()
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.allSatisfy { $0.texts.count <= 4 })
        let processed: Int = batches.map(\.texts.count).reduce(0, +)
        let sent: Int = (0..<300).map { $0 % 9 + 1 }.reduce(0, +)
        #expect(processed == sent)
    }

    @Test("a leader's cancellation does not fail the other requests of its batch")
    func cancellationStaysWithItsRequest() async throws {
        let (started, startedIn) = AsyncStream.makeStream(of: Void.self)
        let (gate, gateIn) = AsyncStream.makeStream(of: Void.self)
        let handler: EndpointBatcher.Handler = { documents, _ in
            startedIn.yield()
            for await _ in gate { break }
            try Task.checkCancellation()
            return nil
        }
        let batcher = EndpointBatcher(endpoint: "/e", batching: DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600)),
                                      handler: handler, metrics: nil, batchMetrics: nil)
        let first = Task { try await batcher.submit(Self.documents(["a"]), parameters: .null) }
        let second = Task { try await batcher.submit(Self.documents(["b"]), parameters: .null) }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()  // the batch of both is running, led by one of them
        first.cancel()
        second.cancel()
        gateIn.yield()
        // Neither request's cancellation reached the handler: both get their documents.
        #expect(try await first.value.map(\.text) == ["a"])
        #expect(try await second.value.map(\.text) == ["b"])
    }

    @Test("a request larger than max_queue_documents is told to send smaller requests")
    func oversizedRequests() async throws {
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600), maxQueueDocuments: 3), Recorder())
        do {
            _ = try await batcher.submit(Self.documents(["1", "2", "3", "4"]), parameters: .null)
            Issue.record("expected Overloaded")
        } catch {
            #expect("\(error)".hasPrefix("a request of 4 documents is more than endpoint /e ever queues"))
        }
        #expect(try await batcher.submit([], parameters: .null).isEmpty)
    }

    @Test("custom metric: documents weigh what it says, and a batch holds up to the preferred weight")
    func customMetricWeighs() async throws {
        let recorder = Recorder()
        let batching = DynamicBatching(preferredBatchSize: 10, timeout: .seconds(3600)) { document in
            Double(document.text?.count ?? 0)
        }
        let batcher = Self.batcher(batching, recorder)
        _ = try await batcher.submit(Self.documents(["xxxxx", "xxxxx", "xx", "xxxxxxxx", "x"]), parameters: .null)
        #expect(recorder.sizes == [2, 2, 1])
    }

    @Test("timeout: a lone request runs in a smaller batch once it has waited the timeout (and not before)")
    func timeoutRunsSmallBatches() async throws {
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 8, timeout: .milliseconds(150)), recorder)
        let clock = ContinuousClock()
        let start = clock.now
        let answer = try await batcher.submit(Self.documents(["a"]), parameters: .null)
        #expect(clock.now - start >= .milliseconds(150))
        #expect(answer.map(\.text) == ["a"])
        #expect(recorder.sizes == [1])
    }

    @Test("metrics: batch sizes and queue times are recorded per batched endpoint")
    func batchMetrics() async throws {
        let registry = MetricsRegistry()
        let metrics = ExecutorMetrics(registry: registry, executorType: "T", runtimeName: "t/rep-0").batching("/e")
        let recorder = Recorder()
        let batcher = Self.batcher(DynamicBatching(preferredBatchSize: 2, timeout: .seconds(3600)), recorder, metrics: metrics)
        _ = try await batcher.submit(Self.documents(["a", "b", "c", "d", "e"]), parameters: .null)
        let text = String(decoding: registry.exposition(), as: UTF8.self)
        let labels = #"executor="T",executor_endpoint="/e",runtime_name="t/rep-0""#
        #expect(RuntimeMetricsTests.sample(text, "jina_dynamic_batch_size_documents_count{\(labels)}") == "3")
        #expect(RuntimeMetricsTests.sample(text, "jina_dynamic_batch_size_documents_sum{\(labels)}") == "5.0")
        #expect(RuntimeMetricsTests.sample(text, "jina_dynamic_batch_queue_seconds_count{\(labels)}") == "1")
    }

    // MARK: settings and the runtime

    @Test("Flow YAML settings lay over the declared ones: by handler name, then by endpoint; false turns batching off")
    func overridesResolve() throws {
        let endpoints = try EndpointTable([
            Endpoint("/a", "/b") { _, _ in }.dynamicBatching(DynamicBatching(preferredBatchSize: 8)).named("encode"),
            Endpoint("/c") { _, _ in },
            Endpoint("/d") { _, _ in }.dynamicBatching(),
        ], executor: "T")
        let (batching, unmatched) = endpoints.batching(overrides: [
            "encode": DynamicBatchingSettings(timeout: 20),
            "/b": DynamicBatchingSettings(preferredBatchSize: 2),
            "/c": DynamicBatchingSettings(),
            "/d": DynamicBatchingSettings(enabled: false),
            "/nothing": DynamicBatchingSettings(),
        ])
        #expect(batching["/a"]?.preferredBatchSize == 8 && batching["/a"]?.timeout == .milliseconds(20))
        #expect(batching["/b"]?.preferredBatchSize == 2 && batching["/b"]?.timeout == .milliseconds(20))
        #expect(batching["/c"]?.preferredBatchSize == 4 && batching["/c"]?.timeout == .seconds(10))
        #expect(batching["/d"] == nil)
        #expect(unmatched == ["/nothing"])
    }

    @Test("the runtime: a batched endpoint's reply has the route and the batch's output; Overloaded is its error's name")
    func runtimeUsesTheBatcher() async throws {
        let loaded = try await ExecutorFactory(Batched.self).load(usesWith: nil, context: ExecutorContext(name: "b", logger: quietLogger()))
        let runtime = ExecutorRuntime(
            name: "b", executor: loaded, logger: quietLogger(),
            batching: ["/e": DynamicBatchingSettings(preferredBatchSize: 2, maxQueueDocuments: 2)])
        let reply = await runtime.process(try request("/e", texts: ["x", "y"]))
        #expect(!reply.isError)
        #expect(try reply.documents().map(\.text) == ["x!", "y!"])
        #expect(reply.routes.map(\.executor) == ["b"])
        let refused = await runtime.process(try request("/e", texts: ["x", "y", "z"]))
        #expect(refused.isError && refused.header.status.exception.name == "Overloaded")
    }

    struct Batched: SimpleExecutor {
        var endpoints: [Endpoint] {
            Endpoint.forEach("/e") { $0.text = ($0.text ?? "") + "!" }.dynamicBatching()
        }
    }
}
