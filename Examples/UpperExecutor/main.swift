// A custom Swift executor: a program that serves Jina's gRPC protocol, started by a Flow with
// `uses: path/to/upper-executor` and the same flags as `jina executor`.
//
//   /upper     upper-cases every document's text (and adds `suffix` from uses_with, if any)
//   /fail      always throws: shows how a handler's error reaches the client (status ERROR)
//   otherwise  the catch-all passes the documents through unchanged
import JinaRuntime

struct UpperExecutor: Executor {
    struct Configuration: Decodable, Sendable {
        var suffix: String?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let suffix: String

    init(configuration: Configuration, context: ExecutorContext) {
        suffix = configuration.suffix ?? ""
        context.logger.info("upper-executor loaded")
    }

    var endpoints: [Endpoint] {
        Endpoint("/upper") { documents, _ in
            for index in documents.indices {
                documents[index].text = (documents[index].text ?? "").uppercased() + suffix
            }
        }
        Endpoint("/fail") { _, parameters in
            throw Failure(description: parameters["reason"]?.stringValue ?? "the /fail endpoint always fails")
        }
        Endpoint { _, _ in }
    }
}

await ExecutorMain.run(UpperExecutor.self)
