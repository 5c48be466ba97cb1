import Foundation
import JinaCore
@testable import JinaGateway
import JinaProto
import Logging
import Synchronization
import SwiftProtobuf

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A logger that keeps tests quiet (raise the level to debug a failure).
func quietLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = ProcessInfo.processInfo.environment["JINA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}

/// A validated Flow from YAML text.
func loadFlow(_ yaml: String) throws -> Flow {
    let result = FlowLoader.load(text: yaml, file: "test.yml", environment: [:])
    guard let flow = result.flow else {
        throw TestFailure("invalid Flow: \(DiagnosticRenderer.text(result.diagnostics))")
    }
    return flow
}

/// A request for `endpoint` with documents `d0`, `d1`… carrying these texts (and tags).
func makeRequest(
    _ texts: [String?] = ["x"], tags: [[String: DocValue]]? = nil, endpoint: String = "/", id: String = "req-1",
    parameters: [String: JSONValue]? = nil, target: String? = nil
) throws -> LazyDataRequest {
    let documents = texts.enumerated().map { index, text in
        Document(id: "d\(index)", text: text, tags: tags?[index])
    }
    var proto = try Jina_DataRequestProto(endpoint: endpoint, documents: documents, parameters: parameters, requestID: id)
    if let target { proto.targetExecutor = target }
    return try LazyDataRequest(proto)
}

/// What a fake replica does with a request.
enum FakeBehavior: Sendable {
    /// Applies `transform` to every document and appends its route.
    case answer(@Sendable (inout Document, Jina_DataRequestProtoWoData) -> Void)
    /// Waits, then answers as `.answer` does.
    case answerAfter(Duration, @Sendable (inout Document, Jina_DataRequestProtoWoData) -> Void)
    /// Fails as an unreachable replica.
    case unavailable
    /// Replies with an ERROR status, as an executor whose handler threw.
    case errorReply(String)
    /// Never answers (until cancelled).
    case hang
}

/// An executor replica in-process: records what it received, answers as told.
final class FakeReplica: ExecutorCaller {
    let address: String
    let executor: String
    private let state: Mutex<(behavior: FakeBehavior, received: [LazyDataRequest], waits: [Duration?])>

    init(_ executor: String, address: String? = nil, _ behavior: FakeBehavior) {
        self.executor = executor
        self.address = address ?? "fake://\(executor)"
        state = Mutex((behavior, [], []))
    }

    /// Appends `suffix` to every document's text.
    convenience init(_ executor: String, address: String? = nil, appending suffix: String) {
        self.init(executor, address: address, .answer { document, _ in document.text = (document.text ?? "") + suffix })
    }

    var behavior: FakeBehavior {
        get { state.withLock { $0.behavior } }
        set { state.withLock { $0.behavior = newValue } }
    }

    var received: [LazyDataRequest] { state.withLock { $0.received } }
    var callCount: Int { state.withLock { $0.received.count } }
    var readyWaits: [Duration?] { state.withLock { $0.waits } }

    func call(_ request: LazyDataRequest, readyWait: Duration?) async throws(ExecutorCallFailure) -> LazyDataRequest {
        let behavior = state.withLock { state in
            state.received.append(request)
            state.waits.append(readyWait)
            return state.behavior
        }
        switch behavior {
        case .unavailable:
            throw .unavailable("connection refused")
        case .hang:
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {}
            throw .cancelled
        case .errorReply(let message):
            var reply = request
            reply.setError(description: "Boom: \(message)", name: "Boom", args: [message], executor: executor)
            reply.head.routes.append(route(status: reply.head.header.status))
            return reply
        case .answerAfter(let delay, let transform):
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw .cancelled
            }
            return try answer(request, transform)
        case .answer(let transform):
            return try answer(request, transform)
        }
    }

    private func answer(
        _ request: LazyDataRequest, _ transform: @Sendable (inout Document, Jina_DataRequestProtoWoData) -> Void
    ) throws(ExecutorCallFailure) -> LazyDataRequest {
            var reply = request
            do {
                var documents = try request.documents()
                for index in documents.indices { transform(&documents[index], request.head) }
                try reply.setDocuments(documents)
            } catch {
                throw .failed("\(error)")
            }
            reply.head.routes.append(route(status: Jina_StatusProto()))
            return reply
    }

    private func route(status: Jina_StatusProto) -> Jina_RouteProto {
        var route = Jina_RouteProto()
        route.executor = executor
        route.status = status
        return route
    }
}

extension LazyDataRequest {
    /// The texts of the documents.
    var texts: [String?] { (try? documents().map(\.text)) ?? [] }
    /// The executors of the routes, in order.
    var routeNames: [String] { head.routes.map(\.executor) }
}

extension SpecValue: ExpressibleByDictionaryLiteral {
    /// `["tags__x": ["$eq": "A"]]` in tests.
    public init(dictionaryLiteral elements: (String, SpecValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
