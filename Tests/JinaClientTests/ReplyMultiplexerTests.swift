import Foundation
@testable import JinaClient
import JinaCore
import JinaProto
import Testing

@Suite("ReplyMultiplexer")
struct ReplyMultiplexerTests {
    private func request(_ id: String) throws -> Jina_DataRequestProto {
        try Jina_DataRequestProto(endpoint: "/", requestID: id)
    }

    @Test("replies reach the sender waiting for their id, in whatever order they arrive")
    func matching() async throws {
        let multiplexer = ReplyMultiplexer()
        let (sent, sentIn) = AsyncStream.makeStream(of: String.self)
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            for id in ["a", "b", "c"] {
                let message = try request(id)
                group.addTask {
                    let reply = try await multiplexer.exchange(message) { sentIn.yield(id) }
                    return (id, reply.requestID)
                }
            }
            // Answer once all three are registered, in reverse order.
            var ids: [String] = []
            for await id in sent {
                ids.append(id)
                if ids.count == 3 { break }
            }
            for id in ids.reversed() { multiplexer.resolve(try request(id)) }
            for try await (asked, answered) in group { #expect(asked == answered) }
        }
    }

    @Test("closing fails every waiting sender and every later one with the closing error")
    func closing() async throws {
        let multiplexer = ReplyMultiplexer()
        let (sent, sentIn) = AsyncStream.makeStream(of: Void.self)
        let message = try request("x")
        let waiting = Task { try await multiplexer.exchange(message) { sentIn.yield() } }
        for await _ in sent { break }
        let lost = ClientError(.runtime, "lost")
        multiplexer.close(lost)
        await #expect(throws: lost) { _ = try await waiting.value }
        await #expect(throws: lost) { _ = try await multiplexer.exchange(message) {} }
    }

    @Test("a cancelled sender stops waiting; its late reply is dropped")
    func cancellation() async throws {
        let multiplexer = ReplyMultiplexer()
        let (sent, sentIn) = AsyncStream.makeStream(of: Void.self)
        let message = try request("y")
        let task = Task { try await multiplexer.exchange(message) { sentIn.yield() } }
        for await _ in sent { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        multiplexer.resolve(message)  // nobody waits: no crash, no double resume
    }
}
