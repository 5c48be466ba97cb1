import JinaCore
import Synchronization
import Testing

/// Requests 0, 1, 2… handed out on demand; tracks how many are read and not yet answered.
final class CountingSource: RequestSource {
    private struct State {
        var read = 0
        var outstanding = 0
        var most = 0
    }

    let limit: Int
    private let state = Mutex(State())
    init(limit: Int) { self.limit = limit }

    /// The most requests ever read and not yet answered at once.
    var mostOutstanding: Int { state.withLock { $0.most } }

    func next() async throws -> Int? {
        state.withLock { state in
            guard state.read < limit else { return nil }
            state.read += 1
            state.outstanding += 1
            state.most = max(state.most, state.outstanding)
            return state.read - 1
        }
    }

    func answered(_ count: Int) { state.withLock { $0.outstanding -= count } }
}

/// The one stream engine (issue #11 item 3) on its own: permits, drain, write failures.
@Suite("the stream engine")
struct RequestStreamTests {
    @Test("at most `permits` requests are between being read and their reply written; every reply comes")
    func permitsBoundTheIntake() async throws {
        let source = CountingSource(limit: 50)
        let permits = AsyncPermits(3)
        let replies = OutboundQueue<Int>()
        let written = try await withThrowingTaskGroup(of: RequestStream.Ending.self, returning: [Int].self) { group in
            group.addTask {
                defer { replies.finish() }
                return try await RequestStream.intake(source, permits: permits, phase: ServingPhase()) { request in
                    await Task.yield()
                    _ = replies.enqueue(request)
                }
            }
            var written: [Int] = []
            try await RequestStream.write(replies, permits: permits, onFailure: .stop) { batch in
                source.answered(batch.count)
                written += batch
            }
            #expect(try await group.next() == .ended)
            return written
        }
        #expect(written.sorted() == Array(0..<50))
        #expect(source.mostOutstanding <= 3)
    }

    @Test("a drain stops the intake, and the ending says so")
    func drain() async throws {
        let phase = ServingPhase()
        let (never, _) = AsyncStream.makeStream(of: Int.self)
        let source = SequenceSource(never)
        phase.set(.draining)
        let ending = try await RequestStream.intake(source, permits: AsyncPermits(2), phase: phase) { _ in }
        #expect(ending == .drained)
    }

    @Test("after a failed write the rest is dropped but every permit comes back; the failure is thrown at the end")
    func dropTheRest() async throws {
        struct Gone: Error {}
        let permits = AsyncPermits(4)
        for _ in 0..<4 { try await permits.acquire() }
        let replies = OutboundQueue<Int>()
        for value in 0..<4 { _ = replies.enqueue(value) }
        replies.finish()
        await #expect(throws: Gone.self) {
            try await RequestStream.write(replies, permits: permits, onFailure: .dropTheRest) { _ in throw Gone() }
        }
        // All four permits are free again: four acquisitions do not wait.
        for _ in 0..<4 { try await permits.acquire() }
    }
}
