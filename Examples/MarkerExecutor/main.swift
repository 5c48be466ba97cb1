// A custom executor used by the end-to-end tests of `jina flow`: it marks every document with
// the shard and replica that processed it, so a test can see which processes a request reached.
//
//   every endpoint   appends "|s<shard>r<replica>" to the text and sets tags["shard<S>"] = "replica<R>"
//   /fail            throws (the reply carries the error, naming this executor)
//   /slow            logs "slow request started", then waits `parameters.ms` milliseconds first
//                    (requests in flight at shutdown)
import JinaRuntime

struct MarkerExecutor: Executor {
    struct Configuration: Decodable, Sendable {}

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let shard: Int
    let replica: Int
    let context: ExecutorContext

    init(configuration: Configuration, context: ExecutorContext) {
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
        Endpoint { documents, _ in mark(&documents) }
    }

    func mark(_ documents: inout [Document]) {
        for index in documents.indices {
            documents[index].text = (documents[index].text ?? "") + "|s\(shard)r\(replica)"
            var tags = documents[index].tags ?? [:]
            tags["shard\(shard)"] = DocValue(.text("replica\(replica)"))
            documents[index].tags = tags
        }
    }
}

await ExecutorMain.run(MarkerExecutor.self)
