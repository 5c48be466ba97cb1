@testable import JinaOrchestrator
import Testing

@Suite("restart backoff")
struct RestartBackoffTests {
    @Test("doubles from 100 ms up to the 5 s cap")
    func doubles() {
        var state = RestartBackoff.standard.makeState()
        let delays = (0..<9).map { _ in state.delay(afterUptime: .milliseconds(10)) }
        #expect(delays == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600),
            .milliseconds(3200), .seconds(5), .seconds(5), .seconds(5),
        ])
    }

    @Test("a process that stayed up long enough starts the sequence again")
    func resetsAfterStableUptime() {
        var state = RestartBackoff.standard.makeState()
        _ = state.delay(afterUptime: .zero)
        _ = state.delay(afterUptime: .zero)
        #expect(state.delay(afterUptime: .seconds(1)) == .milliseconds(400))
        #expect(state.delay(afterUptime: .seconds(30)) == .milliseconds(100))
        #expect(state.delay(afterUptime: .zero) == .milliseconds(200))
    }

    @Test("a cap below the first delay caps it")
    func capBelowInitial() {
        var state = RestartBackoff(initial: .seconds(2), maximum: .seconds(1), multiplier: 2, stableAfter: .seconds(5)).makeState()
        #expect(state.delay(afterUptime: .zero) == .seconds(1))
        #expect(state.delay(afterUptime: .zero) == .seconds(1))
    }
}
