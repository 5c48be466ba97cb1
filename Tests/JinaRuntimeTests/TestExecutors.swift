import JinaRuntime

/// An executor with named endpoints and a catch-all, for routing tests.
struct Router: Executor {
    struct Configuration: Decodable, Sendable {
        var tag: String?
    }

    struct Boom: Error, CustomStringConvertible {
        var description: String
    }

    let tag: String

    init(configuration: Configuration, context: ExecutorContext) {
        tag = configuration.tag ?? "default"
    }

    var endpoints: [Endpoint] {
        Endpoint("/a", "/a2") { documents, _ in
            for index in documents.indices { documents[index].text = (documents[index].text ?? "") + "+a" }
        }
        Endpoint("/params") { documents, parameters in
            for index in documents.indices {
                documents[index].tags = parameters.objectValue?.mapValues { DocValue(json: $0) }
            }
        }
        Endpoint("/fail") { _, _ in throw Boom(description: "handler failed on purpose") }
        Endpoint("/replace") { documents, _ in documents = [Document(id: "new", text: "replaced")] }
        Endpoint("/slow") { documents, parameters in
            let probe = Probes.shared
            probe.enter()
            defer { probe.leave() }
            let delay = parameters["delay_ms"]?.intValue ?? 0
            try await Task.sleep(for: .milliseconds(delay))
            for index in documents.indices { documents[index].text = (documents[index].text ?? "") + "+slow" }
        }
        Endpoint("/wait") { documents, parameters in
            Probes.started.continuation.yield(documents.first?.id ?? "")
            try await Task.sleep(for: .milliseconds(parameters["delay_ms"]?.intValue ?? 0))
        }
        Endpoint { documents, _ in
            for index in documents.indices { documents[index].text = (documents[index].text ?? "") + "+\(tag)" }
        }
    }
}

enum Probes {
    static let shared = ConcurrencyProbe()
    /// The first document id of each `/wait` request, when its handler starts.
    static let started = AsyncStream.makeStream(of: String.self)
}

/// An executor without a catch-all: other endpoints pass through untouched.
struct OnlyOne: Executor {
    init(configuration: NoConfiguration, context: ExecutorContext) {}

    var endpoints: [Endpoint] {
        Endpoint("/only") { documents, _ in
            for index in documents.indices { documents[index].text = "only" }
        }
    }
}

/// An executor with one untyped catch-all, like Tests/Interop/fixture_executor.py.
struct Echo: Executor {
    init(configuration: NoConfiguration, context: ExecutorContext) {}

    var endpoints: [Endpoint] {
        Endpoint { _, _ in }
    }
}
