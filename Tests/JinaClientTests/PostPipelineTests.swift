import Foundation
import JinaClient
import JinaCore
import Synchronization
import Testing

/// A connection that answers each request after a delay that shrinks with its position (so
/// replies complete out of order), records the most requests it saw at once, and fails the
/// request whose first document's text is `fail`.
final class FakeConnection: ClientConnection {
    private struct State {
        var outstanding = 0
        var mostOutstanding = 0
        var requestIDs: [String] = []
    }

    private let state = Mutex(State())

    var mostOutstanding: Int { state.withLock { $0.mostOutstanding } }
    var requestIDs: [String] { state.withLock { $0.requestIDs } }

    func send(_ request: ClientRequest) async throws(ClientError) -> ClientReply {
        let position = state.withLock { state in
            state.outstanding += 1
            state.mostOutstanding = max(state.mostOutstanding, state.outstanding)
            state.requestIDs.append(request.requestID)
            return state.requestIDs.count
        }
        defer { state.withLock { $0.outstanding -= 1 } }
        try? await Task.sleep(for: .milliseconds(max(0, 20 - position % 5 * 5)))
        if request.documents.first?.fields["text"] == .text("fail") {
            throw .requestFailed(requestID: request.requestID, executor: "marker", message: "asked to fail")
        }
        let documents = request.documents.map { document in
            var document = document
            if let text = document.fields["text"]?.stringValue { document.fields["text"] = .text(text + "!") }
            return document
        }
        return ClientReply(requestID: request.requestID, documents: documents)
    }
}

@Suite("PostPipeline")
struct PostPipelineTests {
    private func input(_ texts: [String], size: Int) throws -> (DocumentBatcher, Int32) {
        let fd = try descriptor(reading: texts.joined(separator: "\n"))
        return (DocumentBatcher(reader: LineReader(descriptor: fd), format: .text, batchSize: size, source: "<stdin>"), fd)
    }

    @Test("replies come out in input order although they complete out of order; the window is respected")
    func order() async throws {
        let texts = (0..<250).map { "doc\($0)" }
        var (batcher, fd) = try input(texts, size: 7)
        defer { close(fd) }
        let connection = FakeConnection()
        var written: [String] = []
        let summary = try await PostPipeline(endpoint: "/index", inFlight: 4).run(input: &batcher, connection: connection) { reply, _ in
            for document in reply.documents {
                if let text = document.fields["text"]?.stringValue { written.append(text) }
            }
        }
        #expect(written == texts.map { $0 + "!" })
        #expect(summary == PostPipeline.Summary(requests: 36, documentsSent: 250, documentsReceived: 250))
        #expect(connection.mostOutstanding <= 4)
        #expect(connection.mostOutstanding > 1)
        #expect(Set(connection.requestIDs).count == 36)
    }

    @Test("a failed request stops the run with its request id and executor; earlier replies were written")
    func failure() async throws {
        var texts = (0..<30).map { "doc\($0)" }
        texts[20] = "fail"
        var (batcher, fd) = try input(texts, size: 10)
        defer { close(fd) }
        var written = 0
        let connection = FakeConnection()
        let error = await #expect(throws: ClientError.self) {
            _ = try await PostPipeline(endpoint: "/fail", inFlight: 1).run(input: &batcher, connection: connection) { reply, _ in
                written += reply.documents.count
            }
        }
        #expect(written == 20)
        #expect(error?.kind == .runtime)
        #expect(error?.executor == "marker")
        #expect(error?.requestID == connection.requestIDs[2])
        #expect(error?.summary == "request \(connection.requestIDs[2]) failed in executor `marker`: asked to fail")
    }
}

@Suite("what executors return")
struct ExecutorResultsTests {
    @Test("results of every reply are kept by replica; numbers of an executor's shards add up")
    func totals() {
        var results = ExecutorResults()
        results.add(ClientReply(requestID: "a", documents: [], results: [
            "index/shard-0/rep-0": .number(4990), "index/shard-1/rep-0": .integer(5010), "other/rep-0": .string("x"),
        ]))
        results.add(ClientReply(requestID: "b", documents: [], results: ["mean/rep-0": .number(0.5), "mean/shard-1/rep-0": .number(0.25)]))
        #expect(results.totals == ["index": .integer(10_000), "mean": .number(0.75)])
        #expect(results.byReplica.count == 5)
        // Replicas of one shard hold the same data: each shard counts once.
        results.add(ClientReply(requestID: "c", documents: [], results: ["index/shard-1/rep-1": .integer(5010)]))
        #expect(results.totals["index"] == .integer(10_000))
        #expect(results.json["results"]?["other/rep-0"] == .string("x"))
    }

    @Test("an empty input sends one request without documents")
    func emptyInput() async throws {
        let fd = try descriptor(reading: "")
        defer { close(fd) }
        var batcher = DocumentBatcher(reader: LineReader(descriptor: fd), format: .jsonLines, batchSize: 10, source: "<stdin>")
        let connection = FakeConnection()
        let summary = try await PostPipeline(endpoint: "/count").run(input: &batcher, connection: connection) { _, _ in }
        #expect(summary == PostPipeline.Summary(requests: 1, documentsSent: 0, documentsReceived: 0))
        #expect(connection.requestIDs.count == 1)
    }
}
