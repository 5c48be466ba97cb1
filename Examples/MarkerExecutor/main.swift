// A custom executor used by the end-to-end tests of `jina flow`: it marks every document with
// the shard and replica that processed it, so a test can see which processes a request reached.
//
//   every endpoint   appends "|s<shard>r<replica>" to the text and sets tags["shard<S>"] = "replica<R>"
//                    (as a head executor, `NAME/uses_before-0`: appends "|uses_before-0" instead);
//                    the catch-all takes Jina's docs_matrix: when it gets several requests at once
//                    (a uses_after head, one per shard) it sets tags["docs_matrix"] to the texts
//                    of each request's documents, in order
//   /fail            throws (the reply carries the error, naming this executor)
//   /slow            logs "slow request started", then waits `parameters.ms` milliseconds first
//                    (requests in flight at shutdown)
//   /batch           dynamically batched (4 documents or 500 ms; handler name `batch`): waits
//                    `parameters.call_ms` (default 50) once per batch, then tags each document with
//                    `batch` (a number per batch) and `batch_size`; a document with text `fail`
//                    fails its batch, one with text `drop` is dropped (breaking the contract)
//   /stream          streaming: yields `count` documents (default 3; from tags or parameters, as
//                    Jina's client sends no parameters with stream_doc), `interval_ms` apart
//                    (default 300), each with text "<text>#<i>" (marked) and tags["produced_at"]
//                    (Unix seconds, taken as it is yielded); a document whose text starts with `fail` throws
//                    after the first
//
//   uses_with `load_ms`: the start-up takes that long (logging "loading for N ms" first), as a
//   model load does; it blocks, as a model load in an initializer does
import Foundation
import JinaRuntime
import Synchronization

struct MarkerExecutor: Executor {
    struct Configuration: Decodable, Sendable {
        var load_ms: Int?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let shard: Int
    let replica: Int
    let context: ExecutorContext
    let batches = Counter()

    init(configuration: Configuration, context: ExecutorContext) {
        if let milliseconds = configuration.load_ms {
            context.logger.notice("loading for \(milliseconds) ms")
            usleep(useconds_t(milliseconds) * 1000)
        }
        shard = context.shardID ?? 0
        replica = context.replicaID ?? 0
        self.context = context
    }

    var endpoints: [Endpoint] {
        Endpoint("/fail") { _, _ in
            throw Failure(description: "marker s\(shard)r\(replica) was asked to fail")
        }
        Endpoint("/slow") { documents, parameters in
            let milliseconds = parameters.objectValue?["ms"]?.doubleValue ?? 500
            context.logger.info("slow request started (\(Int(milliseconds)) ms)")
            try await Task.sleep(for: .milliseconds(Int(milliseconds)))
            mark(&documents)
        }
        Endpoint("/batch") { documents, parameters in
            let batch = batches.next()
            try await Task.sleep(for: .milliseconds(Int(parameters.objectValue?["call_ms"]?.doubleValue ?? 50)))
            if documents.contains(where: { $0.text == "fail" }) {
                throw Failure(description: "batch \(batch) holds a document that fails")
            }
            let size = documents.count
            documents.removeAll { $0.text == "drop" }
            for index in documents.indices {
                var tags = documents[index].tags ?? [:]
                tags["batch"] = DocValue(.integer(batch))
                tags["batch_size"] = DocValue(.integer(size))
                documents[index].tags = tags
            }
        }
        .dynamicBatching(DynamicBatching(preferredBatchSize: 4, timeout: .milliseconds(500)))
        .named("batch")
        Endpoint.streaming("/stream") { document, parameters in
            let tags = document.tags ?? [:]
            func setting(_ key: String, _ fallback: Double) -> Double {
                tags[key]?.doubleValue ?? parameters.objectValue?[key]?.doubleValue ?? fallback
            }
            let count = Int(setting("count", 3))
            let interval = Int(setting("interval_ms", 300))
            let text = document.text ?? ""
            return AsyncThrowingStream<Document, any Error> { continuation in
                let producer = Task {
                    do {
                        for index in 0..<count {
                            if index > 0 {
                                try await Task.sleep(for: .milliseconds(interval))
                                if text.hasPrefix("fail") { throw Failure(description: "marker s\(shard)r\(replica) failed mid-stream") }
                            }
                            var produced = [Document(text: "\(text)#\(index)")]
                            mark(&produced)
                            produced[0].tags?["produced_at"] = DocValue(.float(Date().timeIntervalSince1970))
                            continuation.yield(produced[0])
                        }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in producer.cancel() }
            }
        }
        Endpoint.docsMatrix(Endpoint.defaultName) { documents, matrix, _ in
            if matrix.count > 1 {
                let texts = DocValue(.list(matrix.map { list in DocValue(.list(list.map { DocValue(.text($0.text ?? "")) })) }))
                for index in documents.indices { documents[index].tags = (documents[index].tags ?? [:]).merging(["docs_matrix": texts]) { $1 } }
            }
            mark(&documents)
        }
    }

    func mark(_ documents: inout [Document]) {
        // A head executor (`marker/uses_after-0`) marks with its role.
        let label = context.name.contains("/") ? String(context.name.split(separator: "/").last ?? "") : "s\(shard)r\(replica)"
        for index in documents.indices {
            documents[index].text = (documents[index].text ?? "") + "|\(label)"
            var tags = documents[index].tags ?? [:]
            tags["shard\(shard)"] = DocValue(.text("replica\(replica)"))
            documents[index].tags = tags
        }
    }
}

/// Numbers the batches of `/batch`.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

await ExecutorMain.run(MarkerExecutor.self)
